/**
 * The options every pattern takes: where its one session logs, how to stop it, and the Claude
 * settings of its runs (`agent`: command, model, env, working directory, timeout, flags) under
 * each role's own.
 */
import type { ClaudeSpec } from '../agents/claude/claude-spec';
import type { OutputGate } from '../process/buffer/output-gate';
import type { OrchestratorSession, SessionOptions } from '../session/orchestrator-session';

/** Claude settings for every run of a pattern (a spec's fields, without what the pattern decides). */
export type AgentSettings = Partial<Omit<ClaudeSpec, 'kind' | 'processId' | 'prompt' | 'jsonSchema'>>;

export interface PatternOptions {
  /** One session for the whole pattern (plan.json, logs, summary.json with the verdict), or the options of one the pattern opens and closes. @default no logs */
  readonly session?: OrchestratorSession | SessionOptions;
  /** First abort: stop gracefully (running processes get SIGTERM; later phases are skipped; the verdict says it was stopped). */
  readonly signal?: AbortSignal;
  /** Abort: SIGKILL every running process group now. */
  readonly forceSignal?: AbortSignal;
  /** Settings of every Claude run (command, model, env, cwd, timeoutMs, maxTurns, ...); a role's own settings win. @default {} */
  readonly agent?: AgentSettings;
  /** Backpressure shared with a renderer and the logs. */
  readonly outputGate?: OutputGate;
}

/** A list option: non-empty, strings, no duplicates, each usable in a process id. */
export function checkNames(name: string, value: unknown, options: { readonly min?: number } = {}): readonly string[] {
  const min = options.min ?? 1;
  const ok = Array.isArray(value) && value.length >= min && value.every((v) => typeof v === 'string' && /^[A-Za-z0-9][\w.-]*$/.test(v));
  if (!ok) throw new TypeError(`${name} must be a list of at least ${min} name(s) (letters, digits, '.', '_', '-'), received ${JSON.stringify(value)}`);
  const seen = new Set<string>();
  for (const v of value as string[]) {
    if (seen.has(v)) throw new TypeError(`${name} must not repeat a name, received ${JSON.stringify(v)} twice`);
    seen.add(v);
  }
  return value as string[];
}

/** A positive integer option, named in the error. */
export function checkCount(name: string, value: unknown, max = 100): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new TypeError(`${name} must be an integer from 1 to ${max}, received ${JSON.stringify(value)}`);
  }
  return value;
}

/** A non-empty task or question. */
export function checkTask(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${name} must be a non-empty string, received ${JSON.stringify(value)}`);
  return value;
}
