/**
 * Runs one strategy for the CLI: builds the operator from the options, shows every event, and
 * collects the results. Ctrl-C aborts through the AbortSignal, so interrupted runs still end with
 * results (cancelled), logs and a summary.
 */
import { from, lastValueFrom, tap, toArray, type OperatorFunction } from 'rxjs';
import {
  batched,
  fallback,
  haltReached,
  grep,
  parallel,
  sequential,
  toResults,
  type HaltPolicy,
  type ProcessEvent,
  type ProcessResult,
  type Runnable,
} from '../index';
import type { Renderer } from './render';

export type StrategyName = 'run' | 'parallel' | 'sequential' | 'fallback' | 'batched';

export interface StrategySettings {
  readonly maxWorkers?: number;
  /** Halt policy (parallel and batched only). */
  readonly halt?: HaltPolicy;
  readonly batchSize?: number;
  readonly passOutput?: boolean;
  readonly stopOnFailure?: boolean;
  readonly timeout?: number;
  readonly signal?: AbortSignal;
  /** Output filtering (issue 6): only output lines matching it are shown live; results and logs stay complete. */
  readonly filter?: RegExp;
}

/** The operator for a strategy name; throws a TypeError for bad settings before anything runs. */
export function strategyOperator(name: StrategyName, settings: StrategySettings): OperatorFunction<Runnable, ProcessEvent> {
  const run = { timeout: settings.timeout, signal: settings.signal };
  switch (name) {
    case 'run':
    case 'parallel':
      return parallel({ ...run, maxWorkers: settings.maxWorkers, halt: settings.halt });
    case 'sequential':
      return sequential({ ...run, passOutput: settings.passOutput, stopOnFailure: settings.stopOnFailure });
    case 'fallback':
      return fallback(run);
    case 'batched':
      return batched({ ...run, batchSize: settings.batchSize ?? 2, passOutput: settings.passOutput, maxWorkers: settings.maxWorkers, halt: settings.halt });
  }
}

/**
 * Whether a strategy's results count as success (decides the exit code). With a `success` halt
 * policy (GNU parallel's `--halt now,success=1`), reaching it is success.
 */
export function strategySucceeded(name: StrategyName, results: readonly ProcessResult[], halt?: HaltPolicy, total = results.length): boolean {
  if (results.length === 0) return false;
  if (halt?.success !== undefined && (name === 'parallel' || name === 'batched' || name === 'run')) return haltReached(halt, results, total);
  if (name === 'fallback') return results[results.length - 1].exitCode === 0;
  return results.every((result) => result.exitCode === 0);
}

/** Runs the processes through the strategy, showing each event; resolves the results. */
export function runStrategy(
  name: StrategyName,
  processes: readonly Runnable[],
  settings: StrategySettings,
  renderer: Renderer,
  running: Set<number>,
): Promise<ProcessResult[]> {
  const operator = strategyOperator(name, settings);
  return lastValueFrom(
    from(processes).pipe(
      operator,
      settings.filter ? grep(settings.filter) : (events) => events,
      tap((event) => {
        if (event.type === 'start') running.add(event.pid);
        else if (event.type === 'result' && event.result.pid !== null) running.delete(event.result.pid);
        renderer.event(event);
      }),
      toResults(),
      toArray(),
    ),
  );
}
