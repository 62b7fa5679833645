/**
 * A worker's heartbeat: its description written to its own key every `intervalMs`, expiring after
 * three beats, so a dead worker drops out of `listWorkers` by itself. `stop()` deletes the key.
 */
import type { Redis } from 'ioredis';

export interface HeartbeatOptions {
  readonly redis: Redis;
  readonly key: string;
  readonly intervalMs: number;
  readonly describe: () => unknown;
}

/** Starts beating; `beat()` beats now (a job started or ended), `stop()` ends it and deletes the key. */
export function heartbeat(options: HeartbeatOptions): { beat(): void; stop(): Promise<void> } {
  const { redis, key, intervalMs } = options;
  const beat = (): void => {
    redis.set(key, JSON.stringify({ ...(options.describe() as object), seenAt: Date.now() }), 'PX', intervalMs * 3).catch(() => undefined);
  };
  beat();
  const timer = setInterval(beat, intervalMs);
  return {
    beat,
    async stop() {
      clearInterval(timer);
      await redis.del(key).catch(() => undefined);
    },
  };
}
