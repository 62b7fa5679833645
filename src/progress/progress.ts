/**
 * Turns a run's events into snapshots of its progress: counts, elapsed time, an ETA and where
 * each process stands, for progress bars and status boards.
 *
 * ```text
 * events:                 ----s(a)------r(a)----|
 * progress({processes}):  i---p---------p-------|      i: all queued; p: a snapshot per event
 * ```
 */
import { asyncScheduler, Observable, type OperatorFunction, type Subscription } from 'rxjs';
import type { ProcessEvent } from '../process/types';
import { checkPositiveInteger, invalidOption } from '../validate';
import { ProgressTracker } from './progress-tracker';
import type { ProgressOptions, ProgressSnapshot } from './progress-types';

function checkMs(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidOption(name, 'a finite number of milliseconds, 0 or more', value);
  return value;
}

function idsOf(processes: ProgressOptions['processes']): string[] | undefined {
  if (processes === undefined) return undefined;
  if (!Array.isArray(processes)) throw invalidOption('processes', 'an array of process ids or processes', processes);
  return processes.map((item: unknown) => {
    const id = typeof item === 'string' ? item : (item as { processId?: unknown } | null)?.processId;
    if (typeof id !== 'string') throw invalidOption('processes', 'an array of process ids or processes', item);
    return id;
  });
}

/**
 * Emits a first snapshot at once (everything `queued` when `processes` is given), then one per
 * start, output or result event (at most one per `throttleMs` when set), one every `intervalMs`
 * when set, and, when the source completes, a last one if a throttled change is still waiting.
 * Event types it does not know are ignored. Errors pass through.
 *
 * Times come from `scheduler.now()`. `etaMs` is (queued × mean + Σ over running of
 * max(0, mean − elapsed)) ÷ workers, in ms, where mean is the mean run time of the processes
 * that started and finished so far and workers is `concurrency` (capped at the processes left)
 * or else the number running now; null until one has finished, and null (unknown) when only
 * processes that already ran longer than the mean are left.
 *
 * Cost: an output chunk only updates its process's last line (a couple of `lastIndexOf` calls);
 * a snapshot is one array of references, with new objects only for running processes and those
 * that changed. For chatty processes, set `throttleMs`.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { CommandProcess, parallel, progress } from 'rx-orchestration';
 * const jobs = [1, 2, 3].map((n) => new CommandProcess({ command: 'sleep', args: [`0.${n}`], processId: `sleep-${n}` }));
 * from(jobs).pipe(parallel({ maxWorkers: 2 }), progress({ processes: jobs, throttleMs: 100 })).subscribe((s) => {
 *   console.log(`${s.succeeded + s.failed}/${s.total} done, ${s.running} running, ${s.queued} queued`);
 * });
 * ```
 */
export function progress(options: ProgressOptions = {}): OperatorFunction<ProcessEvent, ProgressSnapshot> {
  const ids = idsOf(options.processes);
  const total = options.total === undefined ? undefined : checkPositiveInteger('total', options.total);
  const concurrency = options.concurrency === undefined ? undefined : checkPositiveInteger('concurrency', options.concurrency, { allowInfinity: true });
  const throttle = checkMs('throttleMs', options.throttleMs ?? 0);
  const interval = checkMs('intervalMs', options.intervalMs ?? 0);
  const lineWidth = checkPositiveInteger('lineWidth', options.lineWidth ?? 200);
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) =>
    new Observable<ProgressSnapshot>((subscriber) => {
      const tracker = new ProgressTracker(scheduler.now(), { ids, total, concurrency, lineWidth });
      let lastEmit = -Infinity;
      let pending: Subscription | undefined;
      let dirty = false;
      const emit = (): void => {
        pending?.unsubscribe();
        pending = undefined;
        dirty = false;
        lastEmit = scheduler.now();
        subscriber.next(tracker.snapshot(lastEmit));
      };
      const changed = (): void => {
        dirty = true;
        if (pending) return;
        const wait = lastEmit + throttle - scheduler.now();
        if (wait <= 0) emit();
        else pending = scheduler.schedule(emit, wait);
      };
      emit();
      if (interval > 0) {
        subscriber.add(
          scheduler.schedule(function tick() {
            emit();
            this.schedule(undefined, interval);
          }, interval),
        );
      }
      subscriber.add(() => pending?.unsubscribe());
      subscriber.add(
        source.subscribe({
          next: (event) => {
            if (tracker.apply(event, scheduler.now())) changed();
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            if (dirty) emit();
            subscriber.complete();
          },
        }),
      );
    });
}
