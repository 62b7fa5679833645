/**
 * Turns a plan entry into a `Runnable`. A `Runnable` is used as it is (with a session, its runs
 * are logged there: `session.attach`). A planned process (its
 * spec, what plan.json stores) is built through the session, which attaches its logs, or, without
 * a session, built plain (`fromSpec`). Where the spec says nothing, the session's settings fill in
 * (model, Claude executable and flags, retry, working directory). The orchestrator adds its share:
 * the output gate and the start delay.
 */
import { CLAUDE_FLAG_KEYS, type ClaudeFlagOptions } from '../agents/claude/claude-spec';
import { ResumeError } from '../errors';
import type { RetryOptions } from '../operators/retry-options';
import type { OutputGate } from '../process/buffer/output-gate';
import type { RetrySpec, RunSpec } from '../process/spec';
import type { Runnable } from '../process/types';
import { fromSpec, type ProcessSpec, type SpecBuilder } from '../runnable/from-spec';
import { OrchestratorSession, type SessionOptions } from '../session/orchestrator-session';
import { isRunnable, type PlanProcess } from './plan';

/** What a spec takes from the session where it says nothing itself. */
export interface SpecDefaults {
  readonly model?: string;
  /** The Claude executable. */
  readonly command?: string;
  readonly claudeOptions?: ClaudeFlagOptions;
  readonly retry?: RetrySpec;
  readonly cwd?: string;
}

export interface BuildContext {
  /** Attaches the logs; none: the process logs nowhere. */
  readonly session?: OrchestratorSession;
  /** Backpressure shared with the renderer and the logs. */
  readonly outputGate?: OutputGate;
  /** Settings under every spec's own. @default the session's */
  readonly defaults?: SpecDefaults;
  /** Milliseconds to wait before a Claude run starts. @default 0 */
  readonly startDelayMs?: number;
  /** Builders of your own kinds of spec, by kind (see `fromSpec`). @default {} */
  readonly build?: Readonly<Record<string, SpecBuilder>>;
  /** Without a session: the id naming worktree branches (`rxo/<runId>/<process id>`). @default one per run */
  readonly runId?: string;
}

function retrySpec(retry: RetryOptions | undefined): RetrySpec | undefined {
  if (!retry) return undefined;
  const { count, delayMs, backoff, maxDelayMs } = retry;
  return JSON.parse(JSON.stringify({ count, delayMs, backoff, maxDelayMs })) as RetrySpec;
}

function flagOptions(options: Readonly<Record<string, unknown>> | undefined): ClaudeFlagOptions {
  const flags: Record<string, unknown> = {};
  for (const key of CLAUDE_FLAG_KEYS) if (options?.[key] !== undefined) flags[key] = options[key];
  return flags as ClaudeFlagOptions;
}

/** The defaults a session (or the options it would be opened with) gives every spec. */
export function sessionDefaults(session: OrchestratorSession | SessionOptions | undefined): SpecDefaults {
  if (!session) return {};
  if (session instanceof OrchestratorSession) {
    return { model: session.model, command: session.command, claudeOptions: flagOptions(session.claudeOptions), retry: retrySpec(session.retry), cwd: session.cwd };
  }
  return {
    model: session.model,
    command: session.command,
    claudeOptions: flagOptions(session.claudeOptions),
    retry: retrySpec(session.retry),
    cwd: session.cwd ?? session.cwd,
  };
}

/** The spec with the defaults under its own fields. */
export function withDefaults(spec: RunSpec, defaults: SpecDefaults): RunSpec {
  const filled: Record<string, unknown> = { ...spec };
  if (filled.retry === undefined && defaults.retry) filled.retry = defaults.retry;
  if (filled.cwd === undefined && defaults.cwd !== undefined) filled.cwd = defaults.cwd;
  if (spec.kind !== 'claude') return filled as unknown as RunSpec;
  for (const [key, value] of Object.entries({ ...defaults.claudeOptions, model: defaults.model, command: defaults.command })) {
    if (filled[key] === undefined && value !== undefined) filled[key] = value;
  }
  return filled as unknown as RunSpec;
}

/** A `Runnable` for a plan entry. Throws a `ResumeError` for a process the plan cannot rebuild. */
export function buildProcess(entry: PlanProcess, context: BuildContext = {}): Runnable {
  if (isRunnable(entry)) return context.session ? context.session.attach(entry) : entry;
  const id = JSON.stringify(entry.processId);
  if (entry.secretsRemoved) {
    throw new ResumeError(null, `process ${id} held a secret value in its command line, prompt or stdin, which the plan does not store; run it again yourself`);
  }
  if (!entry.spec) throw new ResumeError(null, `process ${id} cannot be run again: ${entry.unresumable ?? 'the plan holds no spec for it'}`);
  const { session, outputGate, startDelayMs = 0, build } = context;
  let spec = withDefaults(entry.spec, context.defaults ?? sessionDefaults(session));
  if (spec.kind === 'claude' && startDelayMs > 0) spec = { ...spec, startDelayMs } as RunSpec;
  if (session) return session.createPlanned({ ...entry, spec }, { outputGate, build });
  return fromSpec(spec as ProcessSpec, { outputGate, build, ...(context.runId ? { sessionId: context.runId } : {}) });
}
