/**
 * What retry adds to a result: every attempt, oldest first (`result.attempts`). The fact lives
 * here, with the operator that records it, not on the process layer's `ProcessResult`.
 */
import type { EndReason, ProcessResult } from '../process/types';

/** One try of a process that may be retried. */
export interface Attempt {
  /** 1 for the first try. */
  readonly attempt: number;
  readonly exitCode: number;
  readonly reason: EndReason;
  readonly signal: NodeJS.Signals | null;
  readonly error: string | null;
  /** Milliseconds from spawn to the end of this attempt's output (`ProcessResult.duration` × 1000). */
  readonly durationMs: number;
  /** Milliseconds since the epoch. */
  readonly startedAt: number;
  /** Operating-system process id, or null when nothing was spawned. */
  readonly pid: number | null;
  readonly timedOut: boolean;
  /** Milliseconds waited before this attempt started (0 for the first). */
  readonly delayBeforeMs: number;
}

/** A result of a run made with `retry` (`withRetry`, `retrying`, or a process's `retry` option). */
export interface RetriedResult extends ProcessResult {
  /** Every attempt, the last one included, oldest first. */
  readonly attempts?: readonly Attempt[];
}

/**
 * The attempts recorded on a result; undefined when it was not retried.
 *
 * @example
 * ```ts
 * import { CommandProcess } from 'rx-orchestration';
 * import { attemptsOf } from 'rx-orchestration/toolkit';
 * const result = await new CommandProcess({ command: 'false', retry: { count: 2 } }).run();
 * console.log(attemptsOf(result)?.length); // 3
 * ```
 */
export function attemptsOf(result: ProcessResult): readonly Attempt[] | undefined {
  const { attempts } = result as RetriedResult;
  return Array.isArray(attempts) ? attempts : undefined;
}
