/**
 * Aggregation: one summary of many results (orders, counts, durations, failures), as a plain
 * function over results and as an operator over a strategy's events. Agent totals are the
 * agent's own (`claudeTotals(summary.results)`): strategies know no agent.
 */
import { map, reduce, type OperatorFunction } from 'rxjs';
import { countResults, type ResultCounts } from '../events/count-results';
import { attemptsOf } from '../operators/retried-result';
import type { EndReason, ProcessEvent, ProcessResult, Runnable } from '../process/types';
import { inSubmissionOrder } from './results';

/**
 * How many results ended which way, by the one counting rule (`countResults`): `total =
 * succeeded + failed`; `notStarted`, `cancelled`, `timedOut` and `limitExceeded` break `failed`
 * down, each failure in at most one of them (a failure that is none of them exited non-zero,
 * was killed, or could not be spawned).
 */
export type AggregateCounts = ResultCounts;

/** Why one process failed. */
export interface Failure {
  readonly processId: string;
  readonly exitCode: number;
  readonly reason: EndReason;
  /** The result's error message. */
  readonly error: string | null;
}

/** Everything `aggregate` computes. */
export interface Aggregate {
  /** In submission order when the processes were given, otherwise in the order they arrived. */
  readonly results: readonly ProcessResult[];
  /** By process id (for a repeated id, the last result). */
  readonly byId: Readonly<Record<string, ProcessResult>>;
  readonly counts: AggregateCounts;
  /** Milliseconds of process time: the sum of every result's duration (every attempt's, with retries). */
  readonly totalDurationMs: number;
  /**
   * Milliseconds of wall time from the earliest start to the latest end of the processes that were
   * spawned: the time the work took end to end. For a sequential chain it is the sum of the
   * durations (plus the gaps between them); for processes run side by side, the longest span.
   * 0 when nothing was spawned.
   */
  readonly criticalPathMs: number;
  /** Earliest start and latest end, ms since the epoch; null when nothing was spawned. */
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  /** The results that did not succeed, in the order of `results`. */
  readonly failures: readonly Failure[];
}

/** The tries of one result: every attempt with retries, otherwise the result itself. */
function tries(result: ProcessResult): ReadonlyArray<{ readonly startedAt: number; readonly durationMs: number }> {
  const attempts = attemptsOf(result);
  return attempts && attempts.length > 0 ? attempts : [{ startedAt: result.startedAt, durationMs: result.duration * 1000 }];
}

/** The (start, end) spans of one result in ms. */
function spans(result: ProcessResult): Array<[number, number]> {
  return tries(result).map((t) => [t.startedAt, t.startedAt + t.durationMs]);
}

/**
 * Aggregates results: orders, counts, total and critical-path durations, failures.
 * Pass the processes to get `results` in submission order.
 *
 * @example
 * ```ts
 * import { CommandProcess, runParallel } from 'rx-orchestration';
 * import { aggregateResults } from 'rx-orchestration/toolkit';
 * const jobs = ['0.2', '0.1'].map((s) => new CommandProcess({ command: 'sleep', args: [s], processId: `sleep-${s}` }));
 * const summary = aggregateResults(await runParallel(jobs), jobs);
 * console.log(summary.results.map((r) => r.processId), summary.counts.succeeded, (summary.criticalPathMs / 1000).toFixed(1));
 * ```
 */
export function aggregateResults(results: readonly ProcessResult[], processes?: readonly Pick<Runnable, 'processId'>[]): Aggregate {
  const ordered = processes ? inSubmissionOrder(results, processes) : [...results];
  const spawned = ordered.filter((r) => r.pid !== null);
  const all = spawned.flatMap(spans);
  const startedAt = all.length > 0 ? Math.min(...all.map(([start]) => start)) : null;
  const endedAt = all.length > 0 ? Math.max(...all.map(([, end]) => end)) : null;
  const failed = ordered.filter((r) => r.exitCode !== 0);
  return {
    results: ordered,
    byId: Object.fromEntries(ordered.map((r) => [r.processId, r])),
    counts: countResults(ordered),
    totalDurationMs: ordered.reduce((sum, r) => sum + tries(r).reduce((s, t) => s + t.durationMs, 0), 0),
    criticalPathMs: startedAt === null || endedAt === null ? 0 : endedAt - startedAt,
    startedAt,
    endedAt,
    failures: failed.map(({ processId, exitCode, reason, error }) => ({ processId, exitCode, reason, error })),
  };
}

/**
 * Operator: collects the results of a stream of events (what a strategy emits) or of results, and
 * emits one `Aggregate` when the stream completes (an empty stream gives an empty aggregate).
 * Pass the processes to get `results` in submission order.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { aggregate, CommandProcess, sequential } from 'rx-orchestration';
 * const steps = ['first', 'second'].map((word) => new CommandProcess({ command: 'echo', args: [word], processId: word }));
 * from(steps).pipe(sequential(), aggregate(steps)).subscribe((summary) => {
 *   console.log(`${summary.counts.succeeded}/${summary.counts.total} in ${(summary.criticalPathMs / 1000).toFixed(2)} s`);
 * });
 * ```
 */
export function aggregate(processes?: readonly Pick<Runnable, 'processId'>[]): OperatorFunction<ProcessEvent | ProcessResult, Aggregate> {
  return (source) =>
    source.pipe(
      reduce<ProcessEvent | ProcessResult, ProcessResult[]>((results, item) => {
        if (!('type' in item)) results.push(item);
        else if (item.type === 'result') results.push(item.result);
        return results;
      }, []),
      map((results) => aggregateResults(results, processes)),
    );
}
