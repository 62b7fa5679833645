/**
 * The vocabulary of the process layer: what a process emits while it runs
 * (`ProcessEvent`) and how it ended (`ProcessResult`).
 */
import type { Observable } from 'rxjs';
import type { ClaudeEvent } from '../agents/claude/events';
import type { ClaudeRunInfo } from '../agents/claude/types';

/** Which stream of the child an output chunk came from. Terminal mode has one stream: `stdout`. */
export type OutputStream = 'stdout' | 'stderr';

/** Emitted once, right after the child was spawned. */
export interface StartEvent {
  readonly type: 'start';
  readonly processId: string;
  /** Operating-system process id (in terminal mode, the id of the supervising shell that leads the group). */
  readonly pid: number;
  readonly command: string;
  readonly args: readonly string[];
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** With `retry`: which attempt this start begins, 1 for the first. */
  readonly attempt?: number;
}

/** A piece of output, decoded as UTF-8 (a character split across reads is never broken). */
export interface OutputEvent {
  readonly type: 'output';
  readonly processId: string;
  readonly stream: OutputStream;
  readonly chunk: string;
  readonly at: number;
}

/** Emitted once, last, when the process has ended and its output is drained. */
export interface ResultEvent {
  readonly type: 'result';
  readonly processId: string;
  readonly result: ProcessResult;
}

/** Claude processes only: one parsed event of the CLI's stream-json output (issue 3). */
export interface ClaudeEventEnvelope {
  readonly type: 'claude';
  readonly processId: string;
  readonly event: ClaudeEvent;
  readonly at: number;
}

/** Everything a process Observable emits: a discriminated union on `type`. */
export type ProcessEvent = StartEvent | OutputEvent | ResultEvent | ClaudeEventEnvelope;

/** Why a process ended, in one word. */
export type EndReason = 'exit' | 'signal' | 'timeout' | 'cancelled' | 'spawn-error' | 'not-started' | 'error';

/**
 * How a process ended. The first five fields are the original design's contract.
 */
export interface ProcessResult {
  /** 0 success, -1 timeout, anything else failure (127 not found, 126 not executable, 128+n killed by signal n). */
  readonly exitCode: number;
  /** Everything the process wrote to stdout (in terminal mode: to its terminal), `\r\n` normalised to `\n`. */
  readonly output: string;
  /** Everything the process wrote to stderr (always empty in terminal mode). */
  readonly stderr: string;
  /** Wall time in seconds from spawn to the end of its output. */
  readonly duration: number;
  readonly processId: string;
  /** True when the process was stopped because its timeout elapsed. */
  readonly timedOut: boolean;
  /** True when the run was cancelled through an AbortSignal (or never started because of one). */
  readonly cancelled: boolean;
  /** The signal that ended the process, or null when it exited on its own. */
  readonly signal: NodeJS.Signals | null;
  /** True when the process had to be killed with SIGKILL after ignoring SIGTERM for the grace period. */
  readonly forced: boolean;
  /** Operating-system process id, or null when nothing was spawned. */
  readonly pid: number | null;
  /** When the process was spawned (or when the attempt was made), ms since the epoch. */
  readonly startedAt: number;
  /** Why the process ended. */
  readonly reason: EndReason;
  /** A clear message when the process failed to run or failed; null on success. */
  readonly error: string | null;
  /** Null when `output` and `stderr` are complete; otherwise what `maxBuffer` cut. */
  readonly truncated: Truncation | null;
  /** Claude processes only: cost, turns and token usage from the CLI's `result` event. */
  readonly claude?: ClaudeRunInfo;
  /** With `retry`: every attempt, the last one included, oldest first. */
  readonly attempts?: readonly Attempt[];
  /** With `limits`: the limit the process ran into (`error` says so); absent otherwise. */
  readonly limitExceeded?: 'memory' | 'cpu';
  /** With a `halt` policy: true when the halt stopped this run or kept it from starting. */
  readonly halted?: boolean;
}

/** One try of a process that may be retried. */
export interface Attempt {
  /** 1 for the first try. */
  readonly attempt: number;
  readonly exitCode: number;
  readonly reason: EndReason;
  readonly signal: NodeJS.Signals | null;
  readonly error: string | null;
  /** Seconds. */
  readonly duration: number;
  readonly startedAt: number;
  /** Operating-system process id, or null when nothing was spawned. */
  readonly pid: number | null;
  readonly timedOut: boolean;
  /** Seconds waited before this attempt started (0 for the first). */
  readonly delayBefore: number;
}

/**
 * A result kept only the last `maxBuffer` characters of a stream that wrote more. Live output
 * events and logs still carried everything.
 */
export interface Truncation {
  /** Which part of each stream the result kept. */
  readonly kept: 'last';
  readonly maxBuffer: number;
  /** UTF-16 units dropped from the start of stdout, exactly: its length minus `output.length` (0: complete). */
  readonly stdoutDropped: number;
  /** UTF-16 units dropped from the start of stderr, exactly: its length minus `stderr.length` (0: complete). */
  readonly stderrDropped: number;
}

/** Settings a strategy may apply to one run without touching the process object. */
export interface RunOptions {
  /** Overrides the process's own timeout for this run, in seconds; 0 means no timeout. */
  readonly timeout?: number;
  /**
   * Outputs of earlier processes to hand to this run (sequential and batched `passOutput`).
   * A Claude process appends them to its prompt; a command process receives them on stdin.
   */
  readonly context?: readonly PreviousOutput[];
  /** Aborting ends the run gracefully: the process group is killed and a `cancelled` result is emitted. */
  readonly signal?: AbortSignal;
}

/** One earlier output handed on by `passOutput`. */
export interface PreviousOutput {
  readonly processId: string;
  readonly output: string;
}

/**
 * What every strategy accepts: something with an id that can be run, cold, any number of times.
 * `CommandProcess` and `ClaudeProcess` implement it; so can your own classes.
 */
export interface Runnable {
  readonly processId: string;
  /** A cold Observable: each subscription spawns a new run; unsubscribing kills it. */
  events(options?: RunOptions): Observable<ProcessEvent>;
}
