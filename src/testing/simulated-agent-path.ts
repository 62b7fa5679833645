/**
 * Where the bundled simulated agent is: an executable that answers like `claude -p`
 * (deterministic replies streamed over a second or two, no credentials, no network).
 */
import { join } from 'node:path';

/**
 * Absolute path of the simulated agent; pass it as `command` wherever a Claude executable goes.
 *
 * @example
 * ```ts
 * import { ClaudeProcess } from 'rx-orchestration';
 * import { simulatedAgentPath } from 'rx-orchestration/testing';
 * const result = await new ClaudeProcess({ prompt: 'Say hello', command: simulatedAgentPath }).run();
 * ```
 */
export const simulatedAgentPath: string = join(__dirname, 'simulated-agent.js');
