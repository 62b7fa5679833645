/**
 * Resume, the orchestrator's part: the plan that runs again what an earlier session left undone
 * (`resumePlan`), dropping from a plan what an earlier session already did (`withoutSucceededPhases`,
 * GNU parallel's `--resume-failed`), and the phase settings plan.json keeps.
 */
import type { Runnable } from '../process/types';
import type { PlanPhase } from '../session/plan';
import { withoutSucceeded, type PendingWork } from '../session/resume';
import type { ClaudeFlagOptions } from '../agents/claude/claude-spec';
import type { RetrySpec } from '../process/spec';
import { STRATEGY_NAMES, type Phase, type PhaseOptions, type Plan, type StrategyName } from './plan';

/** What plan.json keeps of a phase's options (JSON values, durations in milliseconds). */
export function storedSettings(options: PhaseOptions): Record<string, unknown> {
  const { maxWorkers, batchSize, passOutput, stopOnFailure, timeoutMs, startDelayMs } = options;
  return JSON.parse(JSON.stringify({ maxWorkers, batchSize, passOutput, stopOnFailure, timeoutMs, startDelayMs })) as Record<string, unknown>;
}

/** A phase's options from what plan.json kept (plans written before 0.2 kept `timeout` in seconds). */
export function settingsOptions(settings: Readonly<Record<string, unknown>> | undefined): PhaseOptions {
  const { maxWorkers, batchSize, passOutput, stopOnFailure, timeout, timeoutMs, startDelayMs } = (settings ?? {}) as Record<string, never>;
  const options: Record<string, unknown> = {
    maxWorkers,
    batchSize,
    passOutput,
    stopOnFailure,
    timeoutMs: typeof timeoutMs === 'number' ? timeoutMs : typeof timeout === 'number' ? timeout * 1000 : undefined,
    startDelayMs: typeof startDelayMs === 'number' ? startDelayMs : undefined,
  };
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
  return options as PhaseOptions;
}

/** Settings applied under what the plan says (a resumed process keeps its own when it has them). */
export interface ResumeOverrides {
  /** Retry for every process whose plan entry has none. */
  readonly retry?: RetrySpec;
  /** Claude options for every Claude process, under the plan's own. */
  readonly claudeOptions?: ClaudeFlagOptions;
}

function resumedPhase(phase: PlanPhase, overrides: ResumeOverrides): Phase {
  const strategy = STRATEGY_NAMES.includes(phase.strategy as StrategyName) ? (phase.strategy as StrategyName) : 'sequential';
  return {
    name: phase.title ?? strategy,
    strategy,
    options: settingsOptions(phase.settings),
    processes: phase.processes.map((planned) => {
      if (!planned.spec) return planned;
      const spec: Record<string, unknown> = { ...(overrides.retry ? { retry: overrides.retry } : {}), ...planned.spec };
      if (planned.spec.kind === 'claude') {
        for (const [key, value] of Object.entries(overrides.claudeOptions ?? {})) if (spec[key] === undefined) spec[key] = value;
      }
      return { ...planned, spec: spec as unknown as typeof planned.spec };
    }),
  };
}

/** The plan that runs an earlier session's pending processes, phase by phase, with its settings. */
export function resumePlan(work: PendingWork, overrides: ResumeOverrides = {}): Plan {
  return { phases: work.phases.map((phase) => resumedPhase(phase, overrides)) };
}

/** Each phase without the processes that succeeded in the earlier session; empty phases dropped. */
export function withoutSucceededPhases<P extends { readonly strategy: StrategyName; readonly processes: readonly Runnable[] }>(phases: readonly P[], earlierDir: string): P[] {
  return phases
    .map((phase) => ({ ...phase, processes: withoutSucceeded(phase.processes, earlierDir, { fallback: phase.strategy === 'fallback' }) }))
    .filter((phase) => phase.processes.length > 0);
}
