/**
 * The one rule for counting results, shared by the session summary, `aggregate` and
 * `progress()` (and any consumer of the protocol, such as a dashboard):
 *
 * - **succeeded**: exit code 0, whatever else is true (a process that exits 0 when asked to stop
 *   did its work); **failed**: every other result. `total = succeeded + failed`.
 * - every failed result falls in exactly one of, in this order of precedence:
 *   **notStarted** (`reason: 'not-started'`: an abort or a halt kept it from starting),
 *   **cancelled** (`cancelled: true`: stopped while running, by an abort or a halt),
 *   **timedOut** (`timedOut: true`), **limitExceeded** (`limitExceeded` set), and the rest,
 *   which exited non-zero, were killed by a signal, or could not be spawned.
 *
 * A run a halt stopped or kept from starting counts as cancelled or notStarted like any other.
 */
import type { ProcessResult } from './types';

/** How a result counts: exactly one of these. */
export type ResultOutcome = 'succeeded' | 'not-started' | 'cancelled' | 'timed-out' | 'limit-exceeded' | 'other-failure';

/** How many results ended which way (see the file comment for the rule). */
export interface ResultCounts {
  readonly total: number;
  /** Exit code 0. */
  readonly succeeded: number;
  /** Any other exit code: `notStarted + cancelled + timedOut + limitExceeded` and the other failures. */
  readonly failed: number;
  /** Failed because they never started (an abort or a halt came first). */
  readonly notStarted: number;
  /** Failed because they were stopped while running, through an AbortSignal or a halt. */
  readonly cancelled: number;
  /** Failed because their timeout elapsed. */
  readonly timedOut: number;
  /** Failed because they ran into a resource limit. */
  readonly limitExceeded: number;
}

/** The one category a result counts in. */
export function outcomeOf(result: ProcessResult): ResultOutcome {
  if (result.exitCode === 0) return 'succeeded';
  if (result.reason === 'not-started') return 'not-started';
  if (result.cancelled) return 'cancelled';
  if (result.timedOut) return 'timed-out';
  if (result.limitExceeded !== undefined) return 'limit-exceeded';
  return 'other-failure';
}

/** A tally of outcomes, as `ResultCounts` (for counters kept up to date one result at a time). */
export function countsFromOutcomes(tally: Readonly<Record<ResultOutcome, number>>): ResultCounts {
  const { succeeded } = tally;
  const failed = tally['not-started'] + tally.cancelled + tally['timed-out'] + tally['limit-exceeded'] + tally['other-failure'];
  return {
    total: succeeded + failed,
    succeeded,
    failed,
    notStarted: tally['not-started'],
    cancelled: tally.cancelled,
    timedOut: tally['timed-out'],
    limitExceeded: tally['limit-exceeded'],
  };
}

/** An empty tally, one counter per outcome. */
export function emptyTally(): Record<ResultOutcome, number> {
  return { succeeded: 0, 'not-started': 0, cancelled: 0, 'timed-out': 0, 'limit-exceeded': 0, 'other-failure': 0 };
}

/**
 * Counts results by the one rule above.
 *
 * @example
 * ```ts
 * import { CommandProcess, runParallel } from 'rx-orchestration';
 * import { countResults } from 'rx-orchestration/toolkit';
 * const results = await runParallel([new CommandProcess({ command: 'true' }), new CommandProcess({ command: 'false' })]);
 * console.log(countResults(results)); // { total: 2, succeeded: 1, failed: 1, notStarted: 0, cancelled: 0, ... }
 * ```
 */
export function countResults(results: readonly ProcessResult[]): ResultCounts {
  const tally = emptyTally();
  for (const result of results) tally[outcomeOf(result)] += 1;
  return countsFromOutcomes(tally);
}
