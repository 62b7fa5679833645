/**
 * Runs processes in batches of `batchSize`: `bufferCount`, then the batches concatenated, each
 * batch run in parallel. Batch N+1 starts only once every process of batch N has ended.
 *
 * ```text
 * processes:  -a-b-c-d-e-|                           (batchSize: 2)
 * batches:    ---[a,b]---[c,d]---[e]|
 * events:     ---(a b ... aR bR)(c d ... cR dR)(e ... eR)|
 * ```
 */
import { bufferCount, concat, concatMap, defer, EMPTY, from, lastValueFrom, mergeMap, tap, toArray, type OperatorFunction } from 'rxjs';
import type { PreviousOutput, ProcessEvent, ProcessResult, Runnable } from '../process/types';
import { checkBoolean, checkPositiveInteger } from '../validate';
import { checkMaxWorkers, resolveMaxWorkers } from './auto-max-workers';
import { checkHaltPolicy, type HaltPolicy } from './halt-policy';
import { withHalt } from './halting';
import { isResultEvent, succeeded, toResults } from './results';
import { strategyRun, type StrategyRunOptions } from './run-safely';

export interface BatchedOptions extends StrategyRunOptions {
  /** Processes per batch; all of a batch run at once (up to `maxWorkers`). Required. */
  readonly batchSize: number;
  /** Hand every process of a later batch the successful outputs of all earlier batches. @default false */
  readonly passOutput?: boolean;
  /** Most processes of a batch running at once; `'auto'` as in `parallel`. @default Infinity: the whole batch */
  readonly maxWorkers?: number | 'auto';
  /**
   * Stop early, as GNU parallel's `--halt` (see `parallel`): the count runs across batches; once
   * it halts, no later batch starts and its processes get `not-started` results. @default none
   */
  readonly halt?: HaltPolicy;
}

/**
 * From processes to their events, batch after batch.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { CommandProcess, batched, toResults } from 'rx-orchestration';
 * const files = ['a.txt', 'b.txt', 'c.txt'].map((f) => new CommandProcess({ command: 'wc', args: ['-c', f], processId: f }));
 * from(files).pipe(batched({ batchSize: 2 }), toResults()).subscribe((r) => console.log(r.processId, r.exitCode));
 * ```
 */
export function batched(options: BatchedOptions): OperatorFunction<Runnable, ProcessEvent> {
  const batchSize = checkPositiveInteger('batchSize', options?.batchSize);
  const passOutput = checkBoolean('passOutput', options.passOutput) ?? false;
  const run = strategyRun(options);
  const maxWorkers = checkMaxWorkers(options.maxWorkers ?? Number.POSITIVE_INFINITY);
  const halt = checkHaltPolicy('halt', options.halt);
  return withHalt(halt, (runOne) => (source) =>
    defer(() => {
      const outputs: PreviousOutput[] = [];
      const workers = resolveMaxWorkers(maxWorkers);
      return source.pipe(
        bufferCount(batchSize),
        concatMap((batch) => {
          const runOptions = passOutput ? { ...run, context: [...outputs] } : run;
          // This batch's successful outputs, kept in submission order for the batches after it.
          const produced: (PreviousOutput | undefined)[] = new Array(batch.length);
          const record = (index: number) => (event: ProcessEvent) => {
            if (passOutput && isResultEvent(event) && succeeded(event.result)) {
              produced[index] = { processId: event.processId, output: event.result.output };
            }
          };
          return concat(
            from(batch).pipe(mergeMap((process, index) => runOne(process, runOptions).pipe(tap(record(index))), Math.min(workers, batch.length))),
            defer(() => {
              for (const item of produced) if (item) outputs.push(item);
              return EMPTY;
            }),
          );
        }),
      );
    }),
  );
}

/**
 * Runs the processes in batches and resolves their results in completion order, batch by batch.
 *
 * @example
 * ```ts
 * import { ClaudeProcess, runBatched } from 'rx-orchestration';
 * const modules = ['auth', 'billing', 'search', 'ui'].map((m) => new ClaudeProcess({ prompt: `Document the ${m} module`, processId: m }));
 * const results = await runBatched(modules, { batchSize: 2, passOutput: true });
 * ```
 */
export async function runBatched(processes: readonly Runnable[], options: BatchedOptions): Promise<ProcessResult[]> {
  return lastValueFrom(from(processes).pipe(batched(options), toResults(), toArray()));
}
