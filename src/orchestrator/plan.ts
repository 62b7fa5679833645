/**
 * What `orchestrate` runs: a plan is data, phases run one after another, each with a strategy,
 * its processes and the strategy's options. A process is either a `Runnable` (used as it is: its
 * logs are whatever it was built with) or a `PlannedProcess` spec (the serializable description
 * `plan.json` stores), which the orchestrator builds with the session's logs attached.
 */
import type { Runnable } from '../process/types';
import type { PlannedProcess } from '../session/plan';
import type { HaltPolicy } from '../strategies/halt-policy';

/** The strategies a phase can use; `run` is one process run as `parallel` runs it. */
export type StrategyName = 'run' | 'parallel' | 'sequential' | 'fallback' | 'batched';

export const STRATEGY_NAMES: readonly StrategyName[] = ['run', 'parallel', 'sequential', 'fallback', 'batched'];

/** A process of a plan: a ready `Runnable`, or a spec the orchestrator builds. */
export type PlanProcess = Runnable | PlannedProcess;

/** Options of one phase's strategy (each applies to the strategies named). */
export interface PhaseOptions {
  /** parallel, run, batched (per batch): most processes at once; `auto` from the cores and free memory. @default defaultMaxWorkers() */
  readonly maxWorkers?: number | 'auto';
  /** parallel, run, batched: stop early (GNU parallel's `--halt`). @default never */
  readonly halt?: HaltPolicy;
  /** batched: processes per batch. @default defaults.batchSize */
  readonly batchSize?: number;
  /** sequential, batched: hand each later process the earlier successful outputs. @default false */
  readonly passOutput?: boolean;
  /** sequential: stop at the first failure. @default false */
  readonly stopOnFailure?: boolean;
  /** Milliseconds allowed for each process; 0: none. @default each process's own */
  readonly timeoutMs?: number;
  /**
   * Milliseconds between the starts of the Claude runs that start together (the first
   * `maxWorkers` of a parallel phase, each batch of a batched one); concurrent Claude CLIs race on
   * their shared config file. Sequential and fallback runs never start together. @default 0
   */
  readonly startDelayMs?: number;
}

export interface Phase {
  /** Shown as the phase's heading, recorded in plan.json. @default the strategy's name */
  readonly name?: string;
  readonly strategy: StrategyName;
  readonly processes: readonly PlanProcess[];
  readonly options?: PhaseOptions;
}

export interface Plan {
  readonly phases: readonly Phase[];
}

/** Whether a plan entry is a ready `Runnable` (rather than a spec). */
export function isRunnable(entry: PlanProcess): entry is Runnable {
  return typeof (entry as Runnable).events === 'function';
}

/** The phase's name: its own, or its strategy's. */
export function phaseName(phase: Phase): string {
  return phase.name ?? phase.strategy;
}
