/**
 * Turns a plan entry into a `Runnable`. A `Runnable` is used as it is. A spec (`PlannedProcess`,
 * what plan.json stores) is built through the session, which attaches its logs, or, without a
 * session, built plain. The orchestrator adds its share: the output gate and the start delay.
 */
import { ResumeError } from '../errors';
import type { OutputGate } from '../process/buffer/output-gate';
import type { Runnable } from '../process/types';
import { ClaudeProcess } from '../runnable/claude-process';
import { CommandProcess } from '../runnable/command-process';
import type { OrchestratorSession, SessionOptions } from '../session/orchestrator-session';
import type { PlannedProcess } from '../session/plan';
import { isRunnable, type PlanProcess } from './plan';

export interface BuildContext {
  /** Attaches the logs; none: the process logs nowhere. */
  readonly session?: OrchestratorSession;
  /** Backpressure shared with the renderer and the logs. */
  readonly outputGate?: OutputGate;
  /** Without a session: the shared settings a session would have applied (model, command, Claude options, retry, working directory). */
  readonly defaults?: Partial<SessionOptions>;
  /** Milliseconds to wait before a Claude run starts. @default 0 */
  readonly startDelayMs?: number;
}

function stdin(planned: PlannedProcess): { input?: string | Buffer } {
  if (!planned.input) return {};
  return { input: planned.input.encoding === 'utf8' ? planned.input.data : Buffer.from(planned.input.data, 'base64') };
}

/** A `Runnable` for a plan entry. Throws a `ResumeError` for a spec whose secrets were removed. */
export function buildProcess(entry: PlanProcess, context: BuildContext = {}): Runnable {
  if (isRunnable(entry)) return entry;
  if (entry.secretsRemoved) {
    throw new ResumeError(null, `process ${JSON.stringify(entry.processId)} held a secret value in its command line, prompt or stdin, which the plan does not store; run it again yourself`);
  }
  const { session, outputGate, startDelayMs = 0, defaults = {} } = context;
  const shared = { ...entry.options, ...(outputGate ? { outputGate } : {}) };
  if (entry.kind === 'claude') {
    const options = {
      ...shared,
      ...entry.claudeOptions,
      command: entry.command,
      ...(entry.model !== undefined ? { model: entry.model } : {}),
      ...(entry.extraArgs ? { extraArgs: entry.extraArgs } : {}),
      ...(startDelayMs > 0 ? { startDelay: startDelayMs / 1000 } : {}),
    };
    if (session) return session.createProcess(entry.prompt ?? '', entry.processId, options);
    return new ClaudeProcess({
      model: defaults.model,
      ...defaults.claudeOptions,
      retry: defaults.retry,
      ...options,
      workingDir: entry.options.cwd ?? defaults.workingDir,
      prompt: entry.prompt ?? '',
      processId: entry.processId,
    });
  }
  const options = { ...shared, ...stdin(entry) };
  if (session) return session.createCommand(entry.command, entry.args ?? [], entry.processId, options);
  return new CommandProcess({ cwd: defaults.workingDir, retry: defaults.retry, ...options, command: entry.command, args: entry.args ?? [], processId: entry.processId });
}
