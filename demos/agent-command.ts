// The Claude executable the demos use: the bundled simulated agent, unless CLAUDE_COMMAND names
// another (CLAUDE_COMMAND=claude runs every demo against the real CLI).
import { simulatedAgentPath } from 'rx-orchestration/testing';

export const claudeCommand: string = process.env.CLAUDE_COMMAND ?? simulatedAgentPath;
