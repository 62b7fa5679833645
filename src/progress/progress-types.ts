/**
 * What `progress()` emits: a snapshot of a run, counts and one entry per process.
 */
import type { SchedulerLike } from 'rxjs';
import type { ResultCounts } from '../events/count-results';
import type { ProcessResult } from '../process/types';

/** Where a process stands. `failed` covers every result with a non-zero exit code. */
export type ProcessState = 'queued' | 'running' | 'succeeded' | 'failed';

/** One process in a snapshot. */
export interface ProcessProgress {
  readonly processId: string;
  readonly state: ProcessState;
  /** Scheduler time of its `start` event; null while queued or when it never started. */
  readonly startedAt: number | null;
  /** Milliseconds it has run (running: until the snapshot; finished: until its result); null when it never started. */
  readonly elapsedMs: number | null;
  /** Its last line of output (the unfinished one if it has text), escape sequences removed, trimmed, at most `lineWidth` characters. */
  readonly lastLine: string;
  /** Its result, once finished. */
  readonly result: ProcessResult | null;
}

/**
 * The state of a run at one moment. Counts always add up: queued + running + succeeded + failed
 * = total; the finished results are counted by the one rule (`countResults`), so `failed`
 * breaks down into `notStarted`, `cancelled`, `timedOut`, `limitExceeded` and other failures.
 */
/** The counts are `countResults`'s, over the results so far (`total` counts every known process). */
export interface ProgressSnapshot extends ResultCounts {
  /** `scheduler.now()` when the snapshot was taken. */
  readonly at: number;
  /** Milliseconds since `progress()` was subscribed to. */
  readonly elapsedMs: number;
  readonly queued: number;
  readonly running: number;
  /**
   * Estimated milliseconds until every process has finished; null until a process that started
   * has finished (nothing to estimate from) and while only processes that already ran longer than
   * the mean are left; 0 once nothing is queued or running. See `progress()`.
   */
  readonly etaMs: number | null;
  /** Every process, in the order given in `processes`, then unknown ids in the order they appeared. */
  readonly processes: readonly ProcessProgress[];
}

export interface ProgressOptions {
  /**
   * The processes (or their ids) submitted, so that the total is known and those not yet started
   * show as `queued`. Repeated ids are separate entries, matched in order.
   * @default none: processes appear when they start
   */
  readonly processes?: readonly (string | { readonly processId: string })[];
  /** The number of processes expected, when their ids are not known; ignored when `processes` is given. @default the processes seen so far */
  readonly total?: number;
  /** Most processes running at once, for the ETA. @default the number running at the moment (at least 1) */
  readonly concurrency?: number;
  /** At most one snapshot per `throttleMs` ms (the first change at once, later ones at the end of the window). 0: one per event. @default 0 */
  readonly throttleMs?: number;
  /** Also emit a snapshot every `intervalMs` ms while the source runs, so elapsed times and the ETA move while nothing happens. 0: never. @default 0 */
  readonly intervalMs?: number;
  /** Longest `lastLine`, in characters (a cut line ends with `…`). @default 200 */
  readonly lineWidth?: number;
  /** Where time comes from (snapshot times, elapsed, throttling, ticks). @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}
