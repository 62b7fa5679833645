/**
 * The `retry` option of a process (and of `withRetry`): how many times a failed run is tried
 * again, how long to wait in between, and which failures count.
 */
import type { SchedulerLike } from 'rxjs';
import { defaults } from '../defaults';
import { checkMilliseconds, invalidOption } from '../validate';
import type { ProcessResult } from '../process/types';

/** How the wait grows: `fixed` waits `delayMs` every time, `exponential` waits `delayMs * 2^(n-1)` before retry n. */
export type Backoff = 'fixed' | 'exponential';

export interface RetryOptions {
  /** How many times a failed run is tried again after the first try (0: never). Required. */
  readonly count: number;
  /** Milliseconds to wait before the first retry. @default 1000 */
  readonly delayMs?: number;
  /** `fixed`: every wait is `delayMs`; `exponential`: `delayMs * 2^(n-1)` before retry n. @default 'fixed' */
  readonly backoff?: Backoff;
  /** Longest wait in milliseconds, whatever the backoff says. @default Infinity (no cap) */
  readonly maxDelayMs?: number;
  /**
   * Which failed results are tried again. A cancelled run (AbortSignal, unsubscribe) is never
   * retried, whatever this says; a successful one (exit code 0) never needs to be.
   * @default every failure (exit code, signal, timeout, error) except a spawn error (command not
   * found, not executable, missing directory), which trying again cannot fix
   */
  readonly retryOn?: (result: ProcessResult) => boolean;
  /** Schedules the waits (a `TestScheduler` proves the schedule without waiting). @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

const BACKOFFS: readonly Backoff[] = ['fixed', 'exponential'];

/** Validates `retry`; a TypeError names the field and the value received. */
export function checkRetryOptions(name: string, value: unknown): RetryOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(name, 'an object { count, delayMs?, backoff?, maxDelayMs?, retryOn?, scheduler? }', value);
  }
  const options = value as Record<string, unknown>;
  const count = options.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw invalidOption(`${name}.count`, 'a non-negative integer', count);
  }
  for (const old of ['delay', 'maxDelay'] as const) {
    if (options[old] !== undefined) throw invalidOption(`${name}.${old}`, `absent: it was renamed ${old}Ms (milliseconds)`, options[old]);
  }
  checkMilliseconds(`${name}.delayMs`, options.delayMs);
  if (options.backoff !== undefined && !BACKOFFS.includes(options.backoff as Backoff)) {
    throw invalidOption(`${name}.backoff`, "'fixed' or 'exponential'", options.backoff);
  }
  const maxDelayMs = options.maxDelayMs;
  if (maxDelayMs !== undefined && (typeof maxDelayMs !== 'number' || Number.isNaN(maxDelayMs) || maxDelayMs < 0)) {
    throw invalidOption(`${name}.maxDelayMs`, 'a number of milliseconds, 0 or more (Infinity: no cap)', maxDelayMs);
  }
  if (options.retryOn !== undefined && typeof options.retryOn !== 'function') {
    throw invalidOption(`${name}.retryOn`, 'a function (result) => boolean', options.retryOn);
  }
  const scheduler = options.scheduler as { schedule?: unknown; now?: unknown } | undefined;
  if (scheduler !== undefined && (typeof scheduler !== 'object' || scheduler === null || typeof scheduler.schedule !== 'function' || typeof scheduler.now !== 'function')) {
    throw invalidOption(`${name}.scheduler`, 'an RxJS scheduler', scheduler);
  }
  return value as RetryOptions;
}

/** Milliseconds to wait before retry number `retry` (1 for the first retry). */
export function retryDelayMs(options: RetryOptions, retry: number): number {
  const delay = options.delayMs ?? defaults.retryDelayMs;
  const grown = (options.backoff ?? defaults.retryBackoff) === 'exponential' ? delay * 2 ** (retry - 1) : delay;
  return Math.min(grown, options.maxDelayMs ?? Number.POSITIVE_INFINITY);
}

/** Whether a finished run is tried again (attempts left aside). */
export function wantsRetry(options: RetryOptions, result: ProcessResult): boolean {
  if (result.exitCode === 0 || result.cancelled || result.reason === 'cancelled' || result.reason === 'not-started') return false;
  return options.retryOn ? options.retryOn(result) === true : result.reason !== 'spawn-error';
}
