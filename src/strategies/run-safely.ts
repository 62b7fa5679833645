/**
 * Shared core of the strategies (not exported): run one process so that nothing it does can
 * take its siblings down. An exception, thrown or emitted, becomes a failed result. Every run
 * gets the strategy's signal through `sharedSignal`, so hundreds of runs in flight listening
 * for its `abort` raise no MaxListenersExceededWarning.
 */
import { catchError, defer, mergeMap, of, type Observable } from 'rxjs';
import { unstartedResult } from '../process/spawn-events';
import type { ProcessEvent, RunOptions, Runnable } from '../process/types';
import { checkMilliseconds, checkTimeout, oneOf } from '../validate';
import { sharedSignal } from './shared-signal';

export function runSafely(process: Runnable, run: RunOptions): Observable<ProcessEvent> {
  const processId = typeof process?.processId === 'string' ? process.processId : String(process?.processId);
  return defer(() => process.events(run.signal ? { ...run, signal: sharedSignal(run.signal) } : run)).pipe(
    catchError((error: unknown) => {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return of<ProcessEvent>({
        type: 'result',
        processId,
        result: unstartedResult(processId, 'error', 1, `the process threw before it could report a result: ${message}`, false),
        at: Date.now(),
      });
    }),
  );
}

/** Settings every strategy passes to each run. */
export interface StrategyRunOptions {
  /** Milliseconds allowed for each process, overriding its own timeout (0: none, whatever the process says). @default each process's own */
  readonly timeoutMs?: number;
  /** The seed's name for `timeoutMs` (`run_with_fallback(processes, timeout=300)`), in seconds. Give one of the two. */
  readonly timeout?: number;
  /** Aborting stops running processes (their results say `cancelled`) and starts no more. @default none */
  readonly signal?: AbortSignal;
}

/** The options every run of a strategy gets: its timeout in milliseconds (from `timeoutMs` or the seed's `timeout`) and its signal. */
export function strategyRun(options: StrategyRunOptions): RunOptions {
  checkTimeout('timeout', options.timeout);
  checkMilliseconds('timeoutMs', options.timeoutMs);
  const timeoutMs = options.timeout === undefined ? options.timeoutMs : oneOf(['timeout (seconds)', 'timeoutMs'], [options.timeout * 1000, options.timeoutMs]);
  return { timeoutMs, signal: options.signal };
}

/**
 * Runs each process with up to `concurrency` at once; `runFor` gives each run's options and
 * `runOne` runs it (`runSafely`, or its halting form from `withHalt`).
 */
export function runEach(
  concurrency: number,
  runFor: (process: Runnable, index: number) => RunOptions,
  runOne: (process: Runnable, run: RunOptions) => Observable<ProcessEvent> = runSafely,
): (source: Observable<Runnable>) => Observable<ProcessEvent> {
  return (source) => source.pipe(mergeMap((process, index) => runOne(process, runFor(process, index)), concurrency));
}
