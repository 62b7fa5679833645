/**
 * Retry: a failed run is run again, after a wait, built on RxJS `retry`. A failed result that
 * should be retried becomes an error inside; `retry({ count, delay })` re-subscribes the cold
 * process, which spawns it again. Live output of every attempt reaches subscribers; only the
 * final result is emitted, with every attempt recorded in `result.attempts` (`attemptsOf`).
 * `withRetry` numbers the events of all attempts as one run (`seq` counts on across attempts).
 *
 * ```text
 * attempt 1:  -s-o-(R:failed)                       (count: 2, delayMs: 1000, backoff: exponential)
 * attempt 2:               --1 s--s-o-(R:failed)
 * attempt 3:                             --2 s--s-o-(R:ok)
 * events:     -s-o----------------s-o------------s-o-(R: ok, attempts [1, 2, 3])|
 * ```
 */
import {
  asyncScheduler,
  catchError,
  defer,
  fromEvent,
  map,
  mergeMap,
  of,
  race,
  retry,
  take,
  throwError,
  timer,
  type MonoTypeOperatorFunction,
  type Observable,
} from 'rxjs';
import { sequenced } from '../events/sequenced';
import { checkRetryOptions, retryDelayMs, wantsRetry, type RetryOptions } from './retry-options';
import type { Attempt, RetriedResult } from './retried-result';
import type { ProcessEvent, ProcessResult, ResultEvent, RunOptions, Runnable } from '../process/types';

/** Carries a failed attempt's final-looking result to `retry`. */
class RetryNeeded extends Error {
  override readonly name = 'RetryNeeded';
  constructor(readonly event: ResultEvent) {
    super(event.result.error ?? 'the attempt failed');
  }
}

/** The run was cancelled while it waited to try again: its last result ends it. */
class RetryCancelled extends Error {
  override readonly name = 'RetryCancelled';
  constructor(readonly event: ResultEvent) {
    super('cancelled while waiting to retry');
  }
}

function attemptOf(result: ProcessResult, attempt: number, delayBeforeMs: number): Attempt {
  const { exitCode, reason, signal, error, duration, startedAt, pid, timedOut } = result;
  return { attempt, exitCode, reason, signal, error, durationMs: Math.round(duration * 1000), startedAt, pid, timedOut, delayBeforeMs };
}

function cancelledWhileWaiting(event: ResultEvent, next: number): ResultEvent {
  const { result } = event;
  const why = `cancelled while waiting to start attempt ${next}`;
  return { ...event, result: { ...result, cancelled: true, reason: 'cancelled', error: result.error ? `${result.error}; ${why}` : why } };
}

/**
 * The events of `attempt()` (a cold Observable of one run), tried again as `options` says.
 * Start events carry their `attempt` number; the result carries `attempts`. Aborting `signal`
 * during a wait ends the run with the last result, marked cancelled; unsubscribing ends it at once.
 */
export function retryEvents(attempt: () => Observable<ProcessEvent>, options: RetryOptions, signal?: AbortSignal): Observable<ProcessEvent> {
  return defer(() => {
    const attempts: Attempt[] = [];
    const scheduler = options.scheduler ?? asyncScheduler;
    const oneAttempt = defer(() => {
      const number = attempts.length + 1;
      const delayBeforeMs = number === 1 ? 0 : retryDelayMs(options, number - 1);
      return attempt().pipe(
        map((event): ProcessEvent => (event.type === 'start' ? { ...event, attempt: number } : event)),
        mergeMap((event): Observable<ProcessEvent> => {
          if (event.type !== 'result') return of(event);
          attempts.push(attemptOf(event.result, number, delayBeforeMs));
          const result: RetriedResult = { ...event.result, attempts: [...attempts] };
          const final: ResultEvent = { ...event, result };
          const again = number <= options.count && !signal?.aborted && wantsRetry(options, event.result);
          return again ? throwError(() => new RetryNeeded(final)) : of(final);
        }),
      );
    });
    return oneAttempt.pipe(
      retry({
        count: options.count,
        delay: (error: unknown, retryNumber: number) => {
          if (!(error instanceof RetryNeeded)) return throwError(() => error);
          const wait = timer(retryDelayMs(options, retryNumber), scheduler);
          if (!signal) return wait;
          const cancelled = cancelledWhileWaiting(error.event, retryNumber + 1);
          const aborted = fromEvent(signal, 'abort').pipe(
            take(1),
            mergeMap(() => throwError(() => new RetryCancelled(cancelled))),
          );
          return race(wait, aborted);
        },
      }),
      catchError((error: unknown) => (error instanceof RetryCancelled ? of<ProcessEvent>(error.event) : throwError(() => error))),
    );
  });
}

/**
 * Any Runnable, tried again when it fails: each retry is a new run (a new subscription to its
 * cold `events`). A `CommandProcess` or `ClaudeProcess` takes the same settings as its `retry`
 * option, which also keeps every attempt in one log.
 *
 * @example
 * ```ts
 * import { lastValueFrom } from 'rxjs';
 * import { CommandProcess, toResults, withRetry } from 'rx-orchestration';
 * import { attemptsOf } from 'rx-orchestration/toolkit';
 * // Fails on its first run (no `ready` file yet), succeeds on the second.
 * const flaky = new CommandProcess({ command: 'sh', args: ['-c', 'test -e ready || { touch ready; exit 1; }'], processId: 'flaky' });
 * const result = await lastValueFrom(withRetry(flaky, { count: 2, delayMs: 500, backoff: 'exponential' }).events().pipe(toResults()));
 * console.log(result.exitCode, attemptsOf(result)?.map((a) => a.exitCode)); // 0 [ 1, 0 ]
 * ```
 */
export function withRetry(runnable: Runnable, options: RetryOptions): Runnable {
  const checked = checkRetryOptions('retry', options);
  return {
    processId: runnable.processId,
    // Each attempt numbers its events from 0; the run as a whole is numbered once, outermost.
    events: (run: RunOptions = {}) => retryEvents(() => runnable.events(run), checked, run.signal).pipe(sequenced()),
  };
}

/**
 * Operator form of `withRetry`: every Runnable passing through is retried as `options` says,
 * ready for any strategy.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { CommandProcess, parallel, toResults } from 'rx-orchestration';
 * import { attemptsOf, retrying } from 'rx-orchestration/toolkit';
 * const jobs = ['a', 'b'].map((id) => new CommandProcess({ command: 'sh', args: ['-c', `test -e ${id}.ok || { touch ${id}.ok; exit 1; }`], processId: id }));
 * from(jobs).pipe(retrying({ count: 1, delayMs: 200 }), parallel({ maxWorkers: 2 }), toResults())
 *   .subscribe((r) => console.log(r.processId, r.exitCode, attemptsOf(r)?.length)); // a 0 2, b 0 2
 * ```
 */
export function retrying(options: RetryOptions): MonoTypeOperatorFunction<Runnable> {
  checkRetryOptions('retry', options);
  return (source) => source.pipe(map((runnable) => withRetry(runnable, options)));
}
