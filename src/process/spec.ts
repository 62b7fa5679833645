/**
 * A run described as data: a plain, JSON-serializable object that says what to run and how, so
 * that a run can be stored (a session's `plan.json`), sent elsewhere and built again.
 *
 * `RunSpec` holds what every kind of run shares (id, directory, environment, limits, graces);
 * `CommandSpec` adds the program, its arguments and stdin. Agent runs (`kind: 'claude'`) and
 * your own kinds extend `RunSpec` in their own layers; `runnable/` turns any of them into a run.
 *
 * Durations are milliseconds. Nothing here can hold a function, a Buffer or a scheduler: those
 * are attachments the classes take beside the spec (a log sink, an output gate, `retryOn`).
 *
 * @example
 * ```ts
 * import type { CommandSpec } from 'rx-orchestration';
 * const spec: CommandSpec = { kind: 'command', processId: 'build', command: 'npm', args: ['run', 'build'], timeoutMs: 60_000 };
 * ```
 */
import type { ResourceLimits } from './spawn/resource-limits';

/** `retry` as data: how many times a failed run is tried again and how long to wait in between. */
export interface RetrySpec {
  /** Retries after the first try (0: none). */
  readonly count: number;
  /** Milliseconds before the first retry. @default 1000 */
  readonly delayMs?: number;
  /** `fixed`: every wait is `delayMs`; `exponential`: `delayMs * 2^(n-1)` before retry n. @default 'fixed' */
  readonly backoff?: 'fixed' | 'exponential';
  /** Longest wait in milliseconds, whatever the backoff says. @default no cap */
  readonly maxDelayMs?: number;
}

/** A terminal (pseudo-terminal) for the run, with its size. */
export interface TerminalSize {
  readonly cols?: number;
  readonly rows?: number;
}

/** What is left of a run's worktree afterwards. */
export type WorkspaceKeep = 'always' | 'on-change' | 'never';

/** A git worktree for one run (see docs/workspaces.md). */
export interface WorktreeSpec {
  /** The commit the new branch starts from: a branch, tag or commit of the repository at `cwd`. @default 'HEAD' */
  readonly base?: string;
  /** The new branch's name. @default `rxo/<session id>/<process id>` */
  readonly branch?: string;
  /**
   * `always`: keep the worktree and its branch; `on-change`: keep them when the run changed
   * something, remove them otherwise; `never`: remove both (the result still lists the changes).
   * @default 'on-change'
   */
  readonly keep?: WorkspaceKeep;
  /** Put the whole diff (`git diff --binary`) on the result. @default false */
  readonly patch?: boolean;
  /** The directory worktrees go under. @default `<repository>.worktrees`, beside the repository */
  readonly root?: string;
  /** The git executable. @default 'git' */
  readonly git?: string;
}

/** Where a run works: `'worktree'` (a fresh git worktree with the defaults) or `{ worktree: {...} }`. */
export type WorkspaceSpec = 'worktree' | { readonly worktree: WorktreeSpec };

/** What every run shares, whatever its kind. */
export interface RunSpec {
  /** Which builder turns this spec into a run: `command`, `claude`, or your own word. */
  readonly kind: string;
  /** Names the run in events, results, logs and plans. */
  readonly processId: string;
  /** Working directory. @default the host's current directory */
  readonly cwd?: string;
  /**
   * Variables added to (or, with `extendEnv: false`, replacing) the host's environment; an
   * `undefined` value removes one. A stored spec (plan.json) never holds secret values. @default {}
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Start from the host's environment. @default true */
  readonly extendEnv?: boolean;
  /** Milliseconds before the process group is stopped and the result marked timed out; 0: none. @default none */
  readonly timeoutMs?: number;
  /** Milliseconds between SIGTERM and SIGKILL when stopping. @default 5000 */
  readonly killGraceMs?: number;
  /** Milliseconds to wait for descendants holding the output open after the process exited. @default 1000 */
  readonly exitGraceMs?: number;
  /** End whatever is left in the process group once the process exited. @default true */
  readonly killLeftovers?: boolean;
  /** UTF-16 units of each stream the result keeps (the last ones). @default 16777216 */
  readonly maxBuffer?: number;
  /** Run in a pseudo-terminal; stdout and stderr then arrive as one `stdout` stream. @default false */
  readonly terminal?: boolean | TerminalSize;
  /** Memory, CPU-time and niceness limits enforced by the OS. @default none */
  readonly limits?: ResourceLimits;
  /** Try a failed run again. @default no retry */
  readonly retry?: RetrySpec;
  /**
   * Run in a fresh git worktree of the repository at `cwd`, on a new branch, and report what
   * changed (`workspaceOf(result)`). @default none: the run works in `cwd` itself
   */
  readonly workspace?: WorkspaceSpec;
}

/** Bytes for stdin that are not UTF-8 text, as base64. */
export interface Base64Bytes {
  readonly base64: string;
}

/** Any program: `command` looked up on PATH (or a path), never run through a shell. */
export interface CommandSpec extends RunSpec {
  readonly kind: 'command';
  readonly command: string;
  /** Its arguments, passed as they are. @default [] */
  readonly args?: readonly string[];
  /** Its stdin: UTF-8 text, or bytes as base64. @default none: end-of-input at once */
  readonly input?: string | Base64Bytes;
}

/** The fields of `RunSpec` besides `kind` and `processId`: the options that change how any run runs. */
export const RUN_SPEC_KEYS = [
  'cwd', 'env', 'extendEnv', 'timeoutMs', 'killGraceMs', 'exitGraceMs', 'killLeftovers', 'maxBuffer', 'terminal', 'limits', 'retry', 'workspace',
] as const;

/** A spec's stdin as the bytes (or text) a run writes. */
export function specInput(input: CommandSpec['input']): string | Buffer | undefined {
  if (input === undefined || typeof input === 'string') return input;
  return Buffer.from(input.base64, 'base64');
}

/** Stdin for a spec: a string stays a string; bytes (a Buffer) become base64, byte-exact. */
export function inputSpec(input: string | Buffer | Uint8Array | undefined): CommandSpec['input'] {
  if (input === undefined || typeof input === 'string') return input;
  const bytes = Buffer.from(input);
  return { base64: bytes.toString('base64') };
}
