/**
 * The client's side of one remote run, once its job is signed: enqueue it, read its stream, stop
 * at the result (then delete the stream), and carry a cancellation to the workers. A refusal by a
 * worker (bad signature) becomes a failed result naming the worker; entries trimmed from the
 * stream before they were read are stated in a line on stderr, never silently skipped; entries
 * written twice, or by a worker that lost the run to another, are dropped.
 */
import { Observable } from 'rxjs';
import { unstartedResult } from '../process/spawn-events';
import type { ProcessEvent } from '../process/types';
import type { ClusterClient } from './cluster-client';
import type { RemoteJobData } from './job-payload';

export function remoteRun(client: ClusterClient, job: RemoteJobData, signal: AbortSignal | undefined): Observable<ProcessEvent> {
  const { runId, processId } = job;
  return new Observable<ProcessEvent>((subscriber) => {
    let finished = false;
    let enqueued = false;
    let current = 0;
    let expected = 0;
    const finish = (event: ProcessEvent): void => {
      finished = true;
      subscriber.next(event);
      client.finish(runId).catch(() => undefined);
      subscriber.complete();
    };
    const watch = client.watch(runId).subscribe({
      next: (entry) => {
        if ('refused' in entry) {
          finish({ type: 'result', processId, at: Date.now(), result: unstartedResult(processId, 'error', 1, `worker ${entry.workerId} refused the job: ${entry.refused}`) });
          return;
        }
        // The one result (a script guarantees there is one) is taken whoever wrote it.
        if (!('event' in entry && entry.event.type === 'result')) {
          if (entry.x < current) return; // a worker that lost the run, still writing
          if (entry.x > current) [current, expected] = [entry.x, 0];
          if (entry.n < expected) return; // written twice (resent after a reconnect)
        }
        if (entry.x === current && entry.n > expected) {
          const chunk = `[rx-orchestration] ${entry.n - expected} event(s) of this run were trimmed from its Redis stream before they could be read\n`;
          subscriber.next({ type: 'output', processId, stream: 'stderr', chunk, at: Date.now() });
        }
        expected = entry.n + 1;
        if (entry.event.type === 'result') finish(entry.event);
        else subscriber.next(entry.event);
      },
      error: (error: unknown) => subscriber.error(error),
    });
    const onAbort = (): void => {
      client.cancel(runId).then(
        (removed) => {
          // Taken out of the queue before any worker held it: nobody else will say it ended.
          if (removed && !finished) finish({ type: 'result', processId, at: Date.now(), result: unstartedResult(processId, 'not-started', 130, 'cancelled before it started') });
        },
        (error: unknown) => subscriber.error(error),
      );
    };
    client.ready
      .then(() => client.enqueue(job))
      .then(() => {
        enqueued = true;
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      })
      .catch((error: unknown) => subscriber.error(error));
    return () => {
      signal?.removeEventListener('abort', onAbort);
      watch.unsubscribe();
      if (enqueued && !finished) client.cancel(runId).catch(() => undefined);
    };
  });
}
