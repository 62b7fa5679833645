/**
 * `startWorker(options)`: a worker of the cluster. It consumes the queue's jobs (BullMQ), up to
 * `concurrency` at once, runs each with the local process layer (`handleJob`), listens for
 * cancellations on the queue's control channel, and beats a heartbeat that `listWorkers` reads.
 * A worker without a usable secret refuses to start. `close()` stops taking jobs, lets the running
 * ones finish for up to `graceMs`, then stops them and hands them back to the queue, where another
 * worker takes them (its client sees a `restart`).
 *
 * @example
 * ```ts
 * import { startWorker } from 'rx-orchestration/toolkit';
 * const worker = await startWorker({ redis: 'redis://127.0.0.1:6379', secret: process.env.RXO_CLUSTER_SECRET ?? '', concurrency: 2 });
 * console.log(`ready ${worker.id} on ${worker.host}`);
 * process.once('SIGTERM', () => void worker.close());
 * ```
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Job } from 'bullmq';
import { bullmq } from './lazy-modules';
import { defaults } from '../defaults';
import { checkPositiveInteger } from '../validate';
import type { ClusterOptions } from './cluster-client';
import { checkQueueName, clusterKeyNames } from './cluster-keys';
import { checkRedisUrl, openRedis, whenReady } from './redis-connection';
import { clusterKeys } from './sealing';
import { handleJob, writeFinal, type ActiveRun, type JobContext } from './worker-job';
import { jobRunId } from './job-payload';
import { unstartedResult } from '../process/spawn-events';
import { heartbeat } from './worker-heartbeat';

/** Milliseconds `close()` waits, after the grace, for the hand-back to reach Redis. */
const CLOSE_EXTRA_MS = 5_000;

export interface WorkerOptions extends ClusterOptions {
  /** Jobs run at once. @default 1 */
  readonly concurrency?: number;
  /** This worker's id. @default `<host>-<pid>-<6 hex digits>` */
  readonly workerId?: string;
  /** Milliseconds a job stays held without renewal (a worker silent this long is taken for dead). @default 10000 */
  readonly lockDurationMs?: number;
  /** Milliseconds between checks for jobs whose worker died. @default 5000 */
  readonly stalledIntervalMs?: number;
  /** Times a job may lose its worker before it fails. @default 5 */
  readonly maxStalledCount?: number;
  /** Milliseconds between heartbeats. @default 2000 */
  readonly heartbeatMs?: number;
  /** Entries a run's stream keeps at most. @default 100000 */
  readonly maxStreamLength?: number;
}

export interface ClusterWorker {
  readonly id: string;
  readonly host: string;
  readonly queue: string;
  /** The runs in progress. */
  running(): readonly ActiveRun[];
  /** Stops taking jobs, waits up to `graceMs` for the running ones, then stops and hands back the rest. */
  close(options?: { readonly graceMs?: number }): Promise<void>;
}

/**
 * Writes the failed result of a job BullMQ failed instead of running it: one that lost its worker
 * more than maxStalledCount times (the next worker to take it fails it), or whose handling broke.
 */
async function giveUp(context: JobContext, job: Job | undefined, error: Error): Promise<void> {
  const runId = job ? jobRunId(job.data) : undefined;
  if (!job || runId === undefined) return;
  const processId = String((job.data as { processId?: unknown }).processId ?? '');
  const reason = `the cluster gave up on the run: ${error.message}`;
  await writeFinal(context, runId, { x: 0, n: 0, event: { type: 'result', processId, at: Date.now(), result: unstartedResult(processId, 'error', 1, reason, false) } });
}

export async function startWorker(options: WorkerOptions): Promise<ClusterWorker> {
  const url = checkRedisUrl('redis', options.redis);
  const queue = checkQueueName('queue', options.queue ?? defaults.clusterQueue);
  const keys = clusterKeys(options.secret);
  const concurrency = options.concurrency ?? 1;
  checkPositiveInteger('concurrency', concurrency);
  const names = clusterKeyNames(queue);
  const host = hostname();
  const id = options.workerId ?? `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const report = options.onStatus ?? (() => undefined);
  const commands = openRedis(url, { role: 'worker', onStatus: report });
  const control = openRedis(url, { role: 'worker control channel', onStatus: report });
  const connection = openRedis(url, { role: 'worker queue', onStatus: report });
  const all = [commands, control, connection];
  try {
    await Promise.all(all.map((redis) => whenReady(redis, url, options.connectTimeoutMs)));
  } catch (error) {
    for (const redis of all) redis.disconnect();
    throw error;
  }
  const active = new Map<string, ActiveRun>();
  control.on('message', (_channel: string, runId: string) => active.get(runId)?.cancel());
  await control.subscribe(names.cancelChannel);
  const context: JobContext = { workerId: id, keys, names, redis: commands, maxStreamLength: options.maxStreamLength ?? defaults.clusterMaxStreamLength, report };
  let beat: ReturnType<typeof heartbeat> | undefined;
  const register = (run: ActiveRun): (() => void) => {
    active.set(run.runId, run);
    beat?.beat();
    return () => {
      active.delete(run.runId);
      beat?.beat();
    };
  };
  const { Worker, WaitingError } = bullmq();
  const worker = new Worker(
    queue,
    async (job, token) => {
      const outcome = await handleJob(context, job.data, register);
      if (outcome !== 'handed-back') return outcome;
      await job.moveToWait(token);
      throw new WaitingError();
    },
    {
      connection,
      concurrency,
      lockDuration: options.lockDurationMs ?? defaults.clusterLockDurationMs,
      stalledInterval: options.stalledIntervalMs ?? defaults.clusterStalledIntervalMs,
      maxStalledCount: options.maxStalledCount ?? defaults.clusterMaxStalledCount,
    },
  );
  worker.on('error', (error) => report(`worker: ${error.message}`));
  // A job that lost its worker more than maxStalledCount times is failed by BullMQ, never run
  // again: its client still gets its one result, saying so.
  worker.on('failed', (job, error) => void giveUp(context, job, error).catch((failure: Error) => report(`worker: ${failure.message}`)));
  await worker.waitUntilReady();
  beat = heartbeat({ redis: commands, key: names.worker(id), intervalMs: options.heartbeatMs ?? defaults.clusterHeartbeatMs, describe: () => ({ id, host, pid: process.pid, queue, concurrency, jobs: [...active.values()].map(({ runId, processId, since }) => ({ runId, processId, since })) }) });
  let closing: Promise<void> | undefined;
  return {
    id,
    host,
    queue,
    running: () => [...active.values()],
    close: ({ graceMs = defaults.clusterShutdownGraceMs } = {}) =>
      (closing ??= (async () => {
        const stopping = worker.close();
        const timer = setTimeout(() => {
          for (const run of active.values()) run.handBack();
        }, graceMs);
        // With Redis gone, BullMQ's close never ends: after the grace and the hand-back, give up on it.
        const gaveUp = await Promise.race([stopping.then(() => false), new Promise<boolean>((resolve) => setTimeout(resolve, graceMs + CLOSE_EXTRA_MS, true).unref())]);
        clearTimeout(timer);
        if (gaveUp) {
          for (const redis of [commands, control, connection]) redis.disconnect();
          return;
        }
        await beat?.stop();
        control.disconnect();
        await commands.quit().catch(() => commands.disconnect());
        await connection.quit().catch(() => connection.disconnect());
      })()),
  };
}
