/**
 * `listWorkers(options)`: the live workers of a queue and the runs each holds, read from their
 * heartbeats (a worker that stopped beating for three beats is gone from the list).
 *
 * @example
 * ```ts
 * import { listWorkers } from 'rx-orchestration/toolkit';
 * for (const worker of await listWorkers({ redis: 'redis://127.0.0.1:6379' })) {
 *   console.log(worker.id, worker.host, worker.jobs.map((job) => job.processId));
 * }
 * ```
 */
import { defaults } from '../defaults';
import { checkQueueName, clusterKeyNames } from './cluster-keys';
import { checkReachable, checkRedisUrl, openRedis, whenReady } from './redis-connection';

export interface LiveWorker {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly queue: string;
  readonly concurrency: number;
  /** The runs it holds now. */
  readonly jobs: ReadonlyArray<{ readonly runId: string; readonly processId: string; readonly since: number }>;
  /** Its last heartbeat, ms since the epoch. */
  readonly seenAt: number;
}

export interface ListWorkersOptions {
  readonly redis: string;
  /** @default 'rxo' */
  readonly queue?: string;
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
}

export async function listWorkers(options: ListWorkersOptions): Promise<LiveWorker[]> {
  const url = checkRedisUrl('redis', options.redis);
  const names = clusterKeyNames(checkQueueName('queue', options.queue ?? defaults.clusterQueue));
  await checkReachable(url, options.connectTimeoutMs);
  const redis = openRedis(url, { role: 'workers list' });
  try {
    await whenReady(redis, url, options.connectTimeoutMs);
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', names.workerPattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    const values = keys.length > 0 ? await redis.mget(...keys) : [];
    return values.filter((value): value is string => value !== null).map((value) => JSON.parse(value) as LiveWorker).sort((a, b) => a.id.localeCompare(b.id));
  } finally {
    redis.disconnect();
  }
}
