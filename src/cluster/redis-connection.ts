/**
 * Connections to Redis for clients and workers: a URL (`redis://` or `rediss://` for TLS) opened
 * with ioredis, reconnecting with a doubling backoff, reporting each outage once and each recovery
 * once, and shown everywhere with its password redacted.
 *
 * @example
 * ```ts
 * import { redactRedisUrl } from 'rx-orchestration/toolkit';
 * console.log(redactRedisUrl('redis://app:s3cret@cache:6379/0')); // redis://app:[REDACTED]@cache:6379/0
 * ```
 */
import type { Redis } from 'ioredis';
import { ioredis } from './lazy-modules';
import { defaults } from '../defaults';
import { ClusterConnectionError } from './cluster-error';
import { REDACTED } from '../logging/redact';

/**
 * The URL with its password (and a lone user, which Redis 5 takes for a password) replaced by
 * `[REDACTED]`, the marker the logs use (set after serializing: URL would percent-encode it).
 */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const hidden = parsed.password ? 'password' : parsed.username ? 'username' : undefined;
    if (hidden === undefined) return parsed.toString().replace(/\/$/, '');
    parsed[hidden] = 'x';
    const text = parsed.toString().replace(/\/$/, '');
    return hidden === 'password' ? text.replace(/:x@/, `:${REDACTED}@`) : text.replace(/\/\/x(?=[:@])/, `//${REDACTED}`);
  } catch {
    return url.replace(/\/\/[^@/]*@/, `//${REDACTED}@`);
  }
}

/** Checks a Redis URL; a TypeError naming the option and the (redacted) value. */
export function checkRedisUrl(option: string, url: unknown): string {
  if (typeof url !== 'string' || !/^rediss?:\/\/[^\s]+$/.test(url)) {
    throw new TypeError(`${option} must be a redis:// or rediss:// URL, received ${typeof url === 'string' ? JSON.stringify(redactRedisUrl(url)) : typeof url}`);
  }
  return url;
}

export interface OpenRedisOptions {
  /** What this connection is for, in messages (`worker`, `client events`). */
  readonly role: string;
  /** Told when Redis goes away (once per outage) and when it is back. @default silent */
  readonly onStatus?: (message: string) => void;
}

/** Opens a connection that retries forever with backoff and never gives up a command (BullMQ requires it). */
export function openRedis(url: string, options: OpenRedisOptions): Redis {
  const shown = redactRedisUrl(url);
  const redis = new (ioredis().Redis)(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times - 1, 10), defaults.clusterReconnectMaxDelayMs),
  });
  let down = false;
  let everReady = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    options.onStatus?.(`Redis ${shown} unreachable (${options.role}): ${error.message}; reconnecting with backoff`);
  });
  redis.on('ready', () => {
    if (down && everReady) options.onStatus?.(`Redis ${shown} reachable again (${options.role})`);
    down = false;
    everReady = true;
  });
  return redis;
}

/** Resolves once the connection is ready; a ClusterConnectionError naming the redacted URL after `timeoutMs`. */
export function whenReady(redis: Redis, url: string, timeoutMs: number = defaults.clusterConnectTimeoutMs): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let last = 'no answer';
    const onError = (error: Error): void => {
      last = error.message || (error as NodeJS.ErrnoException).code || String(error);
    };
    const done = (): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
    };
    const onReady = (): void => {
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new ClusterConnectionError(redactRedisUrl(url), `${last} (waited ${timeoutMs} ms)`));
    }, timeoutMs);
    redis.on('ready', onReady);
    redis.on('error', onError);
  });
}

/**
 * Connects once, without retrying, and resolves when Redis answers; otherwise a
 * ClusterConnectionError naming the redacted URL and the first error (what a run that cannot
 * reach Redis at start reports).
 */
export async function checkReachable(url: string, timeoutMs: number = defaults.clusterConnectTimeoutMs): Promise<void> {
  checkRedisUrl('redis', url);
  const probe = new (ioredis().Redis)(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  let first: Error | undefined;
  probe.on('error', (error: Error) => (first ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = first ?? (error as Error);
    throw new ClusterConnectionError(redactRedisUrl(url), reason.message || String(reason), reason);
  } finally {
    // A connection that already ended has nothing to close (disconnecting it arms a 2 s timer).
    if (probe.status !== 'end') probe.disconnect();
  }
}
