/**
 * A worker's handling of one job: verify and open it (a refusal is written to the run's stream so
 * its client hears of it), skip it when its result was already written (a restart after the
 * result: exactly one result), say so when another worker ran it before (`restart`), run the spec
 * with the local process layer, and stream each event back. The result is written by a script
 * that also sets the run's "done" mark, only if it was not set: two workers can never both
 * deliver one.
 */
import type { Redis } from 'ioredis';
import { defaults } from '../defaults';
import type { ProcessEvent, RestartEvent } from '../events/types';
import { unstartedResult } from '../process/spawn-events';
import type { RunSpec } from '../process/spec';
import { fromSpec } from '../runnable/from-spec';
import type { ClusterKeyNames } from './cluster-keys';
import { jobRunId, openJob } from './job-payload';
import type { ClusterKeys } from './sealing';
import { encodeEntry, ENTRY_FIELD, type StreamEntry } from './stream-entry';

/** What a worker gives each job it handles. */
export interface JobContext {
  readonly workerId: string;
  readonly keys: ClusterKeys;
  readonly names: ClusterKeyNames;
  readonly redis: Redis;
  readonly maxStreamLength: number;
  /** Told about refusals. */
  readonly report: (message: string) => void;
}

/** A run in progress on this worker. */
export interface ActiveRun {
  readonly runId: string;
  readonly processId: string;
  readonly since: number;
  /** Stops it; its result is written (cancelled). */
  cancel(): void;
  /** Stops it without writing a result, so that another worker runs it again. */
  handBack(): void;
}

const FINAL = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', '${ENTRY_FIELD}', ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  return 1
end
return 0`;

/** Writes a run's last entry unless one was written already; resolves whether this one was. */
export async function writeFinal(context: JobContext, runId: string, entry: StreamEntry): Promise<boolean> {
  const { redis, names, keys, workerId, maxStreamLength } = context;
  const written = await redis.eval(FINAL, 2, names.done(runId), names.events(runId), workerId, String(defaults.clusterResultTtlMs), String(maxStreamLength), encodeEntry(keys, runId, entry));
  return written === 1;
}

const resultOf = (processId: string, result: ReturnType<typeof unstartedResult>): ProcessEvent => ({ type: 'result', processId, at: Date.now(), result });

export type JobOutcome = 'refused' | 'already-delivered' | 'done' | 'handed-back';

/** Handles one job; `register` keeps the run findable for cancellation and listings while it runs. */
export async function handleJob(context: JobContext, data: unknown, register: (run: ActiveRun) => () => void): Promise<JobOutcome> {
  const { redis, names, keys, workerId, maxStreamLength } = context;
  const runId = jobRunId(data);
  if (runId === undefined) {
    context.report('refused a job without a valid run id (nothing to report to)');
    return 'refused';
  }
  let content;
  try {
    content = openJob(keys, data);
  } catch (error) {
    const refused = (error as Error).message;
    context.report(`refused job ${runId}: ${refused}`);
    await writeFinal(context, runId, { x: 0, n: 0, refused, workerId });
    return 'refused';
  }
  const spec: RunSpec = content.spec;
  const { processId } = spec;
  if ((await redis.exists(names.done(runId))) === 1) return 'already-delivered';
  const controller = new AbortController();
  let handingBack = false;
  const unregister = register({
    runId,
    processId,
    since: Date.now(),
    cancel: () => controller.abort(),
    handBack: () => {
      handingBack = true;
      controller.abort();
    },
  });
  try {
    if ((await redis.exists(names.cancel(runId))) === 1) {
      await writeFinal(context, runId, { x: 0, n: 0, event: resultOf(processId, unstartedResult(processId, 'not-started', 130, 'cancelled before it started')) });
      return 'done';
    }
    const ttl = String(defaults.clusterResultTtlMs);
    const previous = (await redis.call('SET', names.owner(runId), workerId, 'PX', ttl, 'GET')) as string | null;
    const attempt = await redis.incr(names.starts(runId));
    await redis.pexpire(names.starts(runId), defaults.clusterResultTtlMs);
    let n = 0;
    const append = (event: ProcessEvent): void => {
      // Not awaited one by one: commands on one connection keep their order; the result waits for them all.
      redis.xadd(names.events(runId), 'MAXLEN', '~', String(maxStreamLength), '*', ENTRY_FIELD, encodeEntry(keys, runId, { x: attempt, n: n++, event })).catch(() => undefined);
    };
    if (previous !== null) {
      const restart: RestartEvent = { type: 'restart', processId, at: Date.now(), workerId, previousWorkerId: previous, attempt };
      append(restart);
    }
    const env = { ...spec.env, ...content.passedEnv };
    let final: ProcessEvent | undefined;
    try {
      const runnable = fromSpec({ ...spec, env } as RunSpec);
      final = await new Promise<ProcessEvent | undefined>((resolve, reject) => {
        let last: ProcessEvent | undefined;
        runnable.events({ context: content.context, signal: controller.signal, ...(content.timeoutMs !== undefined ? { timeoutMs: content.timeoutMs } : {}) }).subscribe({
          next: (event) => {
            if (event.type === 'result') last = event;
            else if (!handingBack) append(event);
          },
          error: reject,
          complete: () => resolve(last),
        });
      });
    } catch (error) {
      final = resultOf(processId, unstartedResult(processId, 'spawn-error', 1, `the worker could not run it: ${(error as Error).message}`, false));
    }
    if (handingBack) return 'handed-back';
    final ??= resultOf(processId, unstartedResult(processId, 'error', 1, 'the run ended without a result', false));
    await writeFinal(context, runId, { x: attempt, n, event: final });
    return 'done';
  } finally {
    unregister();
  }
}
