/**
 * The events `orchestrate` adds to the process events: the plan starts, each phase starts and
 * ends, and a last `summary` carries the results, the counts and where the logs went. Each has a
 * `type` and `at` (milliseconds since the epoch).
 */
import type { ClaudeTotals } from '../agents/claude/totals';
import type { ProcessEvent, ProcessResult } from '../process/types';
import type { Aggregate } from '../strategies/aggregate';
import type { StrategyName } from './plan';

/** A phase as the events name it. */
export interface PhaseInfo {
  /** Position in the plan, from 0. */
  readonly index: number;
  readonly name: string;
  readonly strategy: StrategyName;
  /** The ids of its processes, in submission order. */
  readonly processIds: readonly string[];
}

/** First event: what will run (after resume filtering). */
export interface PlanStartEvent {
  readonly type: 'plan-start';
  readonly at: number;
  readonly phases: readonly PhaseInfo[];
  /** The earlier session whose successes were left out (`resumeFailed`) or which this run resumes. */
  readonly resumedFrom?: string;
  /** The session directory, when logging. */
  readonly sessionDir?: string;
}

export interface PhaseStartEvent {
  readonly type: 'phase-start';
  readonly at: number;
  readonly phase: PhaseInfo;
}

export interface PhaseEndEvent {
  readonly type: 'phase-end';
  readonly at: number;
  readonly phase: PhaseInfo;
  /** Whether the strategy's results count as success (see `strategySucceeded`). */
  readonly succeeded: boolean;
  /** The phase's results, in submission order. */
  readonly results: readonly ProcessResult[];
}

/** How the run was stopped: not at all, by a first abort (graceful) or by a second (forced). */
export type StopKind = 'graceful' | 'forced';

/** Last event: everything a summary needs. */
export interface SummaryEvent {
  readonly type: 'summary';
  readonly at: number;
  /** Every phase succeeded and nothing stopped the run early by an error. */
  readonly succeeded: boolean;
  /** Every result, phase after phase, each phase in submission order. */
  readonly results: readonly ProcessResult[];
  readonly aggregate: Aggregate;
  /** Cost, turns and tokens of the Claude runs; null when none. */
  readonly claude: ClaudeTotals | null;
  /** null when the run was not aborted. */
  readonly stopped: StopKind | null;
  /** The abort's reason when it was a string (e.g. `SIGINT`). */
  readonly stoppedBy?: string;
  /** A phase that failed with an error (not a process failure); the run ended there. */
  readonly error?: Error;
  /** The session directory, when logging. */
  readonly sessionDir?: string;
  /** summary.json's path; null when it could not be written; absent when not logging. */
  readonly summaryPath?: string | null;
  /** Log files that could not be written (a full disk), when the orchestrator closed the session. */
  readonly logErrors?: readonly Error[];
}

export type OrchestratorEvent = PlanStartEvent | PhaseStartEvent | PhaseEndEvent | SummaryEvent;

/** What `orchestrate` emits. */
export type OrchestrationEvent = ProcessEvent | OrchestratorEvent;

const ORCHESTRATOR_TYPES = new Set(['plan-start', 'phase-start', 'phase-end', 'summary']);

/** Whether an event is the orchestrator's own (not a process event). */
export function isOrchestratorEvent(event: OrchestrationEvent): event is OrchestratorEvent {
  return ORCHESTRATOR_TYPES.has(event.type);
}
