/**
 * Runs processes concurrently, at most `maxWorkers` at a time: `mergeMap` with a limit.
 *
 * ```text
 * processes:  --a--b--c--|                  (maxWorkers: 2)
 * events:     --a1-b1-a2(aR)-c1-b2(bR)-c2(cR)|
 * ```
 */
import { availableParallelism } from 'node:os';
import { defer, from, lastValueFrom, toArray, type OperatorFunction } from 'rxjs';
import type { ProcessEvent, ProcessResult, Runnable } from '../process/types';
import { checkMaxWorkers, resolveMaxWorkers } from './auto-max-workers';
import { checkHaltPolicy, type HaltPolicy } from './halt-policy';
import { withHalt } from './halting';
import { toResults } from './results';
import { runEach, strategyRun, type StrategyRunOptions } from './run-safely';

export interface ParallelOptions extends StrategyRunOptions {
  /**
   * Most processes running at once; `'auto'` computes it from the cores and the free memory when
   * the run starts (see `autoMaxWorkers`). @default min(32, cores + 4), the original design's pool size
   */
  readonly maxWorkers?: number | 'auto';
  /**
   * Stop early, as GNU parallel's `--halt`: `{ when: 'now' | 'soon', fail | success | done: N or 'P%' }`.
   * Processes never started get `not-started` results naming the halt. @default none: run everything
   */
  readonly halt?: HaltPolicy;
}

export function defaultMaxWorkers(): number {
  return Math.min(32, availableParallelism() + 4);
}

/**
 * From processes to their events, running up to `maxWorkers` at once. One failing process never
 * cancels the others; unsubscribing kills every process started.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { ClaudeProcess, parallel } from 'rx-orchestration';
 * const agents = ['security', 'performance'].map((area) => new ClaudeProcess({ prompt: `Analyze ${area}`, processId: area }));
 * from(agents).pipe(parallel({ maxWorkers: 2 })).subscribe((event) => {
 *   if (event.type === 'output') process.stdout.write(`[${event.processId}] ${event.chunk}`);
 * });
 * ```
 */
export function parallel(options: ParallelOptions = {}): OperatorFunction<Runnable, ProcessEvent> {
  const maxWorkers = checkMaxWorkers(options.maxWorkers ?? defaultMaxWorkers());
  const run = strategyRun(options);
  const halt = checkHaltPolicy('halt', options.halt);
  return withHalt(halt, (runOne) => (source) => defer(() => source.pipe(runEach(resolveMaxWorkers(maxWorkers), () => run, runOne))));
}

/**
 * Runs every process, up to `maxWorkers` at once, and resolves their results in completion order
 * (the original contract). Use `inSubmissionOrder` or `resultsById` for another order.
 *
 * @example
 * ```ts
 * import { CommandProcess, runParallel, inSubmissionOrder } from 'rx-orchestration';
 * const jobs = [3, 1, 2].map((s) => new CommandProcess({ command: 'sleep', args: [`0.${s}`], processId: `sleep-${s}` }));
 * const results = await runParallel(jobs, { maxWorkers: 3 });
 * console.log(results.map((r) => r.processId)); // [ 'sleep-1', 'sleep-2', 'sleep-3' ]
 * console.log(inSubmissionOrder(results, jobs).map((r) => r.processId)); // [ 'sleep-3', 'sleep-1', 'sleep-2' ]
 * ```
 */
export async function runParallel(processes: readonly Runnable[], options: ParallelOptions = {}): Promise<ProcessResult[]> {
  return lastValueFrom(from(processes).pipe(parallel(options), toResults(), toArray()));
}
