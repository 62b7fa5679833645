/**
 * `maxWorkers: 'auto'`: how many processes to run at once, from the CPU cores and the free memory.
 *
 * Formula: `max(1, min(cores + 4, floor(freeMemory / memoryPerProcess)))`, where `cores` is
 * `os.availableParallelism()`, `freeMemory` is `os.freemem()` and `memoryPerProcess` defaults
 * to `defaults.memoryPerProcess` (512 MiB). `cores + 4` is the original design's pool size
 * (agent processes mostly wait on the network); the memory bound keeps that many from swapping.
 */
import { availableParallelism, freemem } from 'node:os';
import { defaults } from '../defaults';
import { checkPositiveInteger, invalidOption } from '../validate';

export interface AutoMaxWorkersOptions {
  /** Bytes of memory set aside for each process. @default defaults.memoryPerProcess (512 MiB) */
  readonly memoryPerProcess?: number;
  /** CPU cores to count with. @default os.availableParallelism() */
  readonly cores?: number;
  /** Free memory in bytes to count with. @default os.freemem() */
  readonly freeMemory?: number;
}

/** What `'auto'` resolved to, and from what. */
export interface AutoMaxWorkers {
  /** Processes to run at once, at least 1. */
  readonly workers: number;
  readonly cores: number;
  readonly freeMemory: number;
  readonly memoryPerProcess: number;
  /** Which bound decided: `cores` (cores + 4) or `memory` (free memory / memory per process). */
  readonly limitedBy: 'cores' | 'memory';
}

/**
 * Computes `maxWorkers: 'auto'` now (free memory changes, so each strategy run computes it when
 * it starts).
 *
 * @example
 * ```ts
 * import { autoMaxWorkers } from 'rx-orchestration/toolkit';
 * const auto = autoMaxWorkers();
 * console.log(`${auto.workers} at once (${auto.cores} cores, ${Math.round(auto.freeMemory / 2 ** 20)} MiB free, limited by ${auto.limitedBy})`);
 * ```
 */
export function autoMaxWorkers(options: AutoMaxWorkersOptions = {}): AutoMaxWorkers {
  const memoryPerProcess = checkPositiveInteger('memoryPerProcess', options.memoryPerProcess ?? defaults.memoryPerProcess);
  const cores = checkPositiveInteger('cores', options.cores ?? availableParallelism());
  const freeMemory = options.freeMemory ?? freemem();
  if (typeof freeMemory !== 'number' || !Number.isFinite(freeMemory) || freeMemory < 0) {
    throw invalidOption('freeMemory', 'a number of bytes, 0 or more', freeMemory);
  }
  const byCores = cores + 4;
  const byMemory = Math.floor(freeMemory / memoryPerProcess);
  return {
    workers: Math.max(1, Math.min(byCores, byMemory)),
    cores,
    freeMemory,
    memoryPerProcess,
    limitedBy: byMemory < byCores ? 'memory' : 'cores',
  };
}

/** Validates a `maxWorkers` option: a positive integer, Infinity, or `'auto'`. */
export function checkMaxWorkers(value: unknown): number | 'auto' {
  if (value === 'auto') return value;
  const ok = typeof value === 'number' && value > 0 && (Number.isInteger(value) || value === Number.POSITIVE_INFINITY);
  if (!ok) throw invalidOption('maxWorkers', "a positive integer, Infinity or 'auto'", value);
  return value;
}

/** The number of workers for a run: `'auto'` is computed at the moment of the call. */
export function resolveMaxWorkers(value: number | 'auto'): number {
  return value === 'auto' ? autoMaxWorkers().workers : value;
}
