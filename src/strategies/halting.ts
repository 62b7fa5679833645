/**
 * Shared core of `halt` (not exported): per subscription of a strategy, one halt state that
 * counts results, a gate that turns every process not yet started after the halt into a
 * `not-started` result, and (for `now`) an AbortSignal that stops the running processes.
 *
 * ```text
 * processes:  -a-b-c-d-|            (maxWorkers: 2, halt: now,fail=1)
 * a:          -a1-(aR: failed)      -> halt; b is aborted, c and d never start
 * events:     -a1-(aR)(bR: halted)(cR: not-started)(dR: not-started)|
 * ```
 */
import { concat, defer, EMPTY, from, map, mergeMap, of, takeWhile, toArray, type Observable, type OperatorFunction } from 'rxjs';
import { unstartedResult } from '../process/spawn-events';
import type { ProcessEvent, ResultEvent, RunOptions, Runnable } from '../process/types';
import { countsTowards, formatHalt, haltCondition, haltLimit, needsTotal, type HaltedResult, type HaltPolicy } from './halt-policy';
import { runSafely } from './run-safely';
import { ownSignal } from './shared-signal';

/** Runs one process: `runSafely`, or its halting form. */
export type RunOne = (process: Runnable, run: RunOptions) => Observable<ProcessEvent>;

function haltingRunOne(policy: HaltPolicy, total: number): RunOne {
  const { condition } = haltCondition(policy);
  const limit = haltLimit(policy, total);
  const stop = new AbortController();
  ownSignal(stop.signal);
  let counted = 0;
  let why: string | undefined;

  const notStarted = (process: Runnable): Observable<ProcessEvent> => {
    const processId = typeof process?.processId === 'string' ? process.processId : String(process?.processId);
    const result: HaltedResult = { ...unstartedResult(processId, 'not-started', 130, `not started: ${why}`), halted: true };
    // A run of one event: its result, numbered 0.
    return of<ProcessEvent>({ type: 'result', processId, result, at: Date.now(), seq: 0 });
  };

  /** A result of a run the halt stopped says so. */
  const marked = (event: ResultEvent, userSignal: AbortSignal | undefined): ResultEvent => {
    const { result } = event;
    if (!result.cancelled || !stop.signal.aborted || userSignal?.aborted) return event;
    const error = `stopped by ${why}${result.error ? `; ${result.error}` : ''}`;
    const halted: HaltedResult = { ...result, halted: true, error };
    return { ...event, result: halted };
  };

  return (process, run) =>
    defer(() => {
      if (why !== undefined) return notStarted(process);
      const signal = policy.when === 'now' ? (run.signal ? ownSignal(AbortSignal.any([run.signal, stop.signal])) : stop.signal) : run.signal;
      let triggered = false;
      return concat(
        runSafely(process, { ...run, signal }).pipe(
          // One result per process, whatever the Runnable does after it.
          takeWhile((event) => event.type !== 'result', true),
          map((event) => {
            if (event.type !== 'result') return event;
            const result = marked(event, run.signal);
            if (why !== undefined || !countsTowards(condition, result.result) || ++counted < limit) return result;
            why = `halt ${formatHalt(policy)} (${counted} ${condition === 'fail' ? 'failed' : condition === 'success' ? 'succeeded' : 'ended'}, the last ${JSON.stringify(event.processId)})`;
            triggered = true;
            return result;
          }),
        ),
        // Once the run that triggered the halt is over (its result out first), `now` stops the others.
        defer(() => {
          if (triggered && policy.when === 'now') stop.abort();
          return EMPTY;
        }),
      );
    });
}

/**
 * Builds a strategy from `body`, giving it the `RunOne` to use: `runSafely` without a policy,
 * otherwise a fresh halting one per subscription. A percentage needs the total number of
 * processes, so the source is collected first.
 */
export function withHalt(
  policy: HaltPolicy | undefined,
  body: (runOne: RunOne) => OperatorFunction<Runnable, ProcessEvent>,
): OperatorFunction<Runnable, ProcessEvent> {
  if (!policy) return body(runSafely);
  return (source) =>
    defer(() => {
      if (!needsTotal(policy)) return source.pipe(body(haltingRunOne(policy, Number.POSITIVE_INFINITY)));
      return source.pipe(
        toArray(),
        mergeMap((processes) => from(processes).pipe(body(haltingRunOne(policy, processes.length)))),
      );
    });
}
