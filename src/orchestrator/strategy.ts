/**
 * A phase's strategy: the operator built from its options, the rule that decides whether its
 * results count as success, and the stagger of start delays.
 */
import type { OperatorFunction } from 'rxjs';
import { defaults } from '../defaults';
import type { ProcessEvent, ProcessResult, Runnable } from '../process/types';
import { autoMaxWorkers } from '../strategies/auto-max-workers';
import { batched } from '../strategies/batched';
import { fallback } from '../strategies/fallback';
import { haltReached, type HaltPolicy } from '../strategies/halt-policy';
import { defaultMaxWorkers, parallel } from '../strategies/parallel';
import { sequential } from '../strategies/sequential';
import { invalidOption } from '../validate';
import { STRATEGY_NAMES, type PhaseOptions, type StrategyName } from './plan';

/** The operator for a phase; throws a TypeError for bad options before anything runs. */
export function strategyOperator(name: StrategyName, options: PhaseOptions, signal?: AbortSignal): OperatorFunction<Runnable, ProcessEvent> {
  if (!STRATEGY_NAMES.includes(name)) throw invalidOption('strategy', `one of ${STRATEGY_NAMES.join(', ')}`, name);
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
    throw invalidOption('timeoutMs', 'a finite number of milliseconds, 0 or more (0: no timeout)', timeoutMs);
  }
  const run = { timeoutMs, signal };
  switch (name) {
    case 'run':
    case 'parallel':
      return parallel({ ...run, maxWorkers: options.maxWorkers, halt: options.halt });
    case 'sequential':
      return sequential({ ...run, passOutput: options.passOutput, stopOnFailure: options.stopOnFailure });
    case 'fallback':
      return fallback(run);
    case 'batched':
      return batched({ ...run, batchSize: options.batchSize ?? defaults.batchSize, passOutput: options.passOutput, maxWorkers: options.maxWorkers, halt: options.halt });
  }
}

/**
 * Whether a strategy's results count as success. Fallback: the last one tried succeeded; with a
 * `success` halt policy (GNU parallel's `--halt now,success=1`), reaching it; otherwise every
 * result succeeded. No result at all is not success.
 */
export function strategySucceeded(name: StrategyName, results: readonly ProcessResult[], options: { readonly halt?: HaltPolicy; readonly total?: number } = {}): boolean {
  if (results.length === 0) return false;
  const { halt, total = results.length } = options;
  if (halt?.success !== undefined && (name === 'parallel' || name === 'batched' || name === 'run')) return haltReached(halt, results, total);
  if (name === 'fallback') return results[results.length - 1].exitCode === 0;
  return results.every((result) => result.exitCode === 0);
}

/** How many processes of a phase start together: the batch size (batched) or maxWorkers. */
export function startSlots(name: StrategyName, options: PhaseOptions): number {
  if (name === 'batched') return options.batchSize ?? defaults.batchSize;
  if (options.maxWorkers === 'auto') return autoMaxWorkers().workers;
  return options.maxWorkers ?? defaultMaxWorkers();
}

/**
 * The start delay of the process at `index`, in milliseconds: the runs that start together are
 * `delayMs` apart (the first `slots` of a parallel phase, each batch of a batched one). Sequential
 * and fallback runs never start together: no delay.
 */
export function staggeredDelayMs(name: StrategyName, index: number, delayMs: number, slots: number): number {
  if (name === 'sequential' || name === 'fallback') return 0;
  const position = name === 'batched' ? index % slots : index < slots ? index : 0;
  return position * delayMs;
}
