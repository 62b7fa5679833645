/**
 * Turning event streams into results, and putting results in the order a caller wants.
 */
import { filter, map, type OperatorFunction } from 'rxjs';
import type { ProcessEvent, ProcessResult, ResultEvent, Runnable } from '../process/types';

export function isResultEvent(event: ProcessEvent): event is ResultEvent {
  return event.type === 'result';
}

/** True for a result that counts as success: exit code 0. */
export function succeeded(result: ProcessResult): boolean {
  return result.exitCode === 0;
}

/**
 * Keeps only the results of an event stream.
 *
 * @example
 * ```ts
 * import { from, toArray } from 'rxjs';
 * import { CommandProcess, parallel, toResults } from 'rx-orchestration';
 * const jobs = ['a', 'b'].map((word) => new CommandProcess({ command: 'echo', args: [word], processId: word }));
 * from(jobs).pipe(parallel({ maxWorkers: 2 }), toResults(), toArray()).subscribe(console.log);
 * ```
 */
export function toResults(): OperatorFunction<ProcessEvent, ProcessResult> {
  return (source) =>
    source.pipe(
      filter(isResultEvent),
      map((event) => event.result),
    );
}

/**
 * Orders results as the processes were submitted (the strategies report completion order).
 * Results are matched by `processId`; repeated ids are matched in order of appearance, and
 * results of ids not in `processes` come last, in their original order.
 */
export function inSubmissionOrder(results: readonly ProcessResult[], processes: readonly Pick<Runnable, 'processId'>[]): ProcessResult[] {
  const queues = new Map<string, ProcessResult[]>();
  for (const result of results) {
    const queue = queues.get(result.processId) ?? [];
    queue.push(result);
    queues.set(result.processId, queue);
  }
  const ordered: ProcessResult[] = [];
  for (const { processId } of processes) {
    const next = queues.get(processId)?.shift();
    if (next) ordered.push(next);
  }
  for (const queue of queues.values()) ordered.push(...queue);
  return ordered;
}

/** Results by process id (for a repeated id, the last result wins). */
export function resultsById(results: readonly ProcessResult[]): Map<string, ProcessResult> {
  return new Map(results.map((result) => [result.processId, result]));
}
