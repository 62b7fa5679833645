/**
 * Tries processes in order until one succeeds: a chain of `catchError`. A failed attempt's result
 * is emitted, then turned into an error that the next attempt catches; the processes after the
 * first success are never spawned. When every attempt fails, the last result says so.
 *
 * ```text
 * processes:  -a-b-c-|
 * attempts:   a fails -> b succeeds             (c never starts)
 * events:     a1-(aR:failed)-b1-(bR:ok)|
 * ```
 */
import { catchError, concat, concatMap, from, lastValueFrom, mergeMap, of, throwError, toArray, type Observable, type OperatorFunction } from 'rxjs';
import { EmptyProcessListError } from '../errors';
import type { ProcessEvent, ProcessResult, ResultEvent, RunOptions, Runnable } from '../process/types';
import { isResultEvent, succeeded, toResults } from './results';
import { runSafely, strategyRun, type StrategyRunOptions } from './run-safely';

export type FallbackOptions = StrategyRunOptions;

/** Carries a failed attempt's result to the `catchError` of the chain. */
class AttemptFailed extends Error {
  override readonly name = 'AttemptFailed';
  constructor(readonly event: ResultEvent) {
    super(event.result.error ?? `attempt ${event.processId} failed`);
  }
}

function attempt(processes: readonly Runnable[], index: number, run: RunOptions): Observable<ProcessEvent> {
  const isLast = index === processes.length - 1;
  return runSafely(processes[index], run).pipe(
    mergeMap((event): Observable<ProcessEvent> => {
      if (!isResultEvent(event) || succeeded(event.result) || event.result.cancelled) return of(event);
      if (!isLast) return throwError(() => new AttemptFailed(event));
      const count = processes.length;
      const error = `all ${count} attempt${count === 1 ? '' : 's'} failed; last (${event.processId}): ${event.result.error ?? 'failed'}`;
      return of({ ...event, result: { ...event.result, error } });
    }),
    catchError((error: unknown) =>
      error instanceof AttemptFailed ? concat(of(error.event), attempt(processes, index + 1, run)) : throwError(() => error),
    ),
  );
}

/**
 * From processes to the events of the attempts made: the first success ends it. A cancelled
 * attempt (through `signal`) ends it too. An empty list is an `EmptyProcessListError`.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { ClaudeProcess, fallback, toResults } from 'rx-orchestration';
 * const tiers = ['opus', 'sonnet', 'haiku'].map((model) => new ClaudeProcess({ prompt: 'Summarize README.md', model, processId: model }));
 * from(tiers).pipe(fallback({ timeout: 300 }), toResults()).subscribe((r) => console.log(r.processId, r.exitCode));
 * ```
 */
export function fallback(options: FallbackOptions = {}): OperatorFunction<Runnable, ProcessEvent> {
  const run = strategyRun(options);
  return (source) =>
    source.pipe(
      toArray(),
      concatMap((processes) =>
        processes.length === 0 ? throwError(() => new EmptyProcessListError('fallback')) : attempt(processes, 0, run),
      ),
    );
}

/**
 * Tries the processes in order and resolves the first success, or the last failure with an
 * `error` saying that all attempts failed. `timeout` applies to each attempt.
 *
 * @example
 * ```ts
 * import { ClaudeProcess, runWithFallback } from 'rx-orchestration';
 * const strategies = ['Advanced analysis', 'Standard analysis', 'Basic analysis']
 *   .map((prompt, i) => new ClaudeProcess({ prompt, processId: ['advanced', 'standard', 'basic'][i] }));
 * const result = await runWithFallback(strategies, { timeout: 300 });
 * if (result.exitCode === 0) console.log(`Succeeded with: ${result.processId}`);
 * ```
 */
export async function runWithFallback(processes: readonly Runnable[], options: FallbackOptions = {}): Promise<ProcessResult> {
  const results = await lastValueFrom(from(processes).pipe(fallback(options), toResults(), toArray()));
  return results[results.length - 1];
}
