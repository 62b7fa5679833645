/**
 * A client's side of the cluster: two connections (commands, and the stream reader) and a BullMQ
 * Queue, shared by the remote runs of a process through client-registry.ts. Jobs go in through a BullMQ Queue; the runs' event streams are read by one reader that waits on
 * all of them at once (`XREAD BLOCK` over every stream, from each stream's last id, so a reconnect
 * resumes exactly where it stopped).
 */
import type { Queue } from 'bullmq';
import { bullmq } from './lazy-modules';
import type { Redis } from 'ioredis';
import { Observable } from 'rxjs';
import { defaults } from '../defaults';
import { checkQueueName, clusterKeyNames, type ClusterKeyNames } from './cluster-keys';
import type { RemoteJobData } from './job-payload';
import { checkRedisUrl, openRedis, redactRedisUrl, whenReady } from './redis-connection';
import { clusterKeys, type ClusterKeys } from './sealing';
import { decodeEntry, type StreamEntry } from './stream-entry';

/** Where a cluster is and how to talk to it: shared by clients and workers. */
export interface ClusterOptions {
  /** Redis URL, `redis://[user:password@]host:port[/db]` or `rediss://` (TLS). */
  readonly redis: string;
  /** The shared secret (16 characters or more) every client and worker of the queue holds. */
  readonly secret: string;
  /** BullMQ queue name. @default 'rxo' */
  readonly queue?: string;
  /** Milliseconds to wait for Redis at start before failing. @default 5000 */
  readonly connectTimeoutMs?: number;
  /** Told when Redis goes away and comes back (one line each). @default silent */
  readonly onStatus?: (message: string) => void;
}

interface Watch {
  lastId: string;
  readonly next: (entry: StreamEntry) => void;
  readonly fail: (error: unknown) => void;
}

export class ClusterClient {
  readonly keys: ClusterKeys;
  readonly names: ClusterKeyNames;
  readonly url: string;
  /** Resolves once both connections are up; a ClusterConnectionError naming the redacted URL otherwise. */
  readonly ready: Promise<void>;
  private readonly commands: Redis;
  private readonly reader: Redis;
  private readonly queue: Queue;
  private readonly watches = new Map<string, Watch>();
  private readerId: string | undefined;
  private reading = false;
  private closed = false;

  constructor(options: ClusterOptions) {
    this.url = checkRedisUrl('redis', options.redis);
    const queue = checkQueueName('queue', options.queue ?? defaults.clusterQueue);
    this.keys = clusterKeys(options.secret);
    this.names = clusterKeyNames(queue);
    this.commands = openRedis(this.url, { role: 'client', onStatus: options.onStatus });
    this.reader = openRedis(this.url, { role: 'client events', onStatus: options.onStatus });
    this.reader.on('ready', () => {
      this.reader.call('CLIENT', 'ID').then((id) => (this.readerId = String(id)), () => undefined);
    });
    this.queue = new (bullmq().Queue)(queue, { connection: this.commands });
    this.queue.on('error', () => undefined); // reported once per outage by the connection itself
    const timeoutMs = options.connectTimeoutMs ?? defaults.clusterConnectTimeoutMs;
    this.ready = Promise.all([whenReady(this.commands, this.url, timeoutMs), whenReady(this.reader, this.url, timeoutMs)]).then(() => undefined);
    this.ready.catch(() => undefined);
  }

  /** Adds a signed job (its id is the run id). */
  async enqueue(job: RemoteJobData): Promise<void> {
    await this.queue.add(job.processId, job, { jobId: job.runId, removeOnComplete: true, removeOnFail: { count: 1000 } });
  }

  /** The entries of a run's stream, as they come, from its start. */
  watch(runId: string): Observable<StreamEntry> {
    return new Observable<StreamEntry>((subscriber) => {
      this.watches.set(runId, { lastId: '0-0', next: (entry) => subscriber.next(entry), fail: (error) => subscriber.error(error) });
      this.wake();
      void this.read();
      return () => this.watches.delete(runId);
    });
  }

  /**
   * Cancels a run: marks it (a worker taking it later does not start it), tells the workers, and
   * takes it out of the queue if no worker holds it yet. Resolves whether it was taken out.
   */
  async cancel(runId: string): Promise<boolean> {
    const ttlMs = defaults.clusterResultTtlMs;
    await this.commands.set(this.names.cancel(runId), '1', 'PX', ttlMs);
    await this.commands.publish(this.names.cancelChannel, runId);
    const removed = await this.queue.remove(runId).catch(() => 0);
    return removed === 1;
  }

  /** Deletes what the run left in Redis once its result was delivered (the "done" mark stays until it expires). */
  async finish(runId: string): Promise<void> {
    const { events, owner, starts, cancel } = this.names;
    await this.commands.del(events(runId), owner(runId), starts(runId), cancel(runId));
  }

  /** The URL with its password redacted. */
  get shownUrl(): string {
    return redactRedisUrl(this.url);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reader.disconnect();
    await this.queue.close().catch(() => undefined);
    await this.commands.quit().catch(() => this.commands.disconnect());
  }

  /** Interrupts the reader's wait so a stream just watched joins it now. */
  private wake(): void {
    if (this.reading && this.readerId !== undefined) this.commands.call('CLIENT', 'UNBLOCK', this.readerId).catch(() => undefined);
  }

  private async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      while (!this.closed && this.watches.size > 0) {
        const runIds = [...this.watches.keys()];
        const lastIds = runIds.map((runId) => this.watches.get(runId)?.lastId ?? '0-0');
        let reply: unknown;
        try {
          reply = await this.reader.call('XREAD', 'COUNT', '1000', 'BLOCK', '1000', 'STREAMS', ...runIds.map((runId) => this.names.events(runId)), ...lastIds);
        } catch {
          if (this.closed) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        for (const [key, entries] of (reply ?? []) as Array<[string, Array<[string, string[]]>]>) {
          const runId = runIds[runIds.findIndex((id) => this.names.events(id) === key)];
          for (const [id, fields] of entries) {
            const watch = runId === undefined ? undefined : this.watches.get(runId);
            if (!watch) break;
            watch.lastId = id;
            let entry: StreamEntry;
            try {
              entry = decodeEntry(this.keys, runId as string, fields);
            } catch (error) {
              watch.fail(error);
              break;
            }
            watch.next(entry);
          }
        }
      }
    } finally {
      this.reading = false;
    }
  }
}
