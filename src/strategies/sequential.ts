/**
 * Runs processes one at a time, in order: `concatMap`. With `passOutput`, each run receives the
 * outputs of the earlier successful runs; with `stopOnFailure`, the first failure is the last
 * process run.
 *
 * ```text
 * processes:  -a-b-c-|
 * events:     -a1-a2(aR)-b1(bR)-c1(cR)|      (each starts after the previous result)
 * ```
 */
import { defer, from, identity, lastValueFrom, takeWhile, tap, toArray, type OperatorFunction } from 'rxjs';
import type { PreviousOutput, ProcessEvent, ProcessResult, Runnable } from '../process/types';
import { checkBoolean } from '../validate';
import { isResultEvent, succeeded, toResults } from './results';
import { runEach, strategyRun, type StrategyRunOptions } from './run-safely';

export interface SequentialOptions extends StrategyRunOptions {
  /** Hand each run the outputs of the earlier successful runs (see `formatContext`). @default false */
  readonly passOutput?: boolean;
  /** Stop after the first failure; the failure is the last result. @default false */
  readonly stopOnFailure?: boolean;
}

/** True for the result event of a run that failed. */
function isFailure(event: ProcessEvent): boolean {
  return isResultEvent(event) && !succeeded(event.result);
}

/**
 * From processes to their events, one process at a time. Process objects are never mutated:
 * earlier outputs travel in each run's options.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { ClaudeProcess, sequential, toResults } from 'rx-orchestration';
 * const stages = ['Analyze the codebase', 'Plan improvements'].map((prompt, i) => new ClaudeProcess({ prompt, processId: `stage-${i}` }));
 * from(stages).pipe(sequential({ passOutput: true, stopOnFailure: true }), toResults()).subscribe(console.log);
 * ```
 */
export function sequential(options: SequentialOptions = {}): OperatorFunction<Runnable, ProcessEvent> {
  const passOutput = checkBoolean('passOutput', options.passOutput) ?? false;
  const stopOnFailure = checkBoolean('stopOnFailure', options.stopOnFailure) ?? false;
  const run = strategyRun(options);
  return (source) =>
    defer(() => {
      const outputs: PreviousOutput[] = [];
      return source.pipe(
        runEach(1, () => (passOutput ? { ...run, context: [...outputs] } : run)),
        tap((event) => {
          if (passOutput && isResultEvent(event) && succeeded(event.result)) {
            outputs.push({ processId: event.processId, output: event.result.output });
          }
        }),
        stopOnFailure ? takeWhile((event) => !isFailure(event), true) : identity,
      );
    });
}

/**
 * Runs the processes one after another and resolves their results in execution order.
 *
 * @example
 * ```ts
 * import { ClaudeProcess, runSequential } from 'rx-orchestration';
 * const stages = ['Analyze codebase', 'Create improvement plan', 'Implement improvements']
 *   .map((prompt, i) => new ClaudeProcess({ prompt, processId: ['analyze', 'plan', 'implement'][i] }));
 * const results = await runSequential(stages, { passOutput: true, stopOnFailure: true });
 * ```
 */
export async function runSequential(processes: readonly Runnable[], options: SequentialOptions = {}): Promise<ProcessResult[]> {
  return lastValueFrom(from(processes).pipe(sequential(options), toResults(), toArray()));
}
