/**
 * The CLI's job log and resume: record every phase in the session's plan, build the phases of
 * `orchestrate resume <session>` from what an earlier session left undone, and drop what already
 * succeeded for `--resume-failed <session>`.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { defaults, pendingFrom, withoutSucceeded, type OrchestratorSession, type PendingWork } from '../index';
import type { Phase } from './demo';
import type { StrategyName, StrategySettings } from './run-strategy';

const STRATEGIES: readonly StrategyName[] = ['run', 'parallel', 'sequential', 'fallback', 'batched'];

/** The strategy settings worth keeping in a plan (no AbortSignal). */
function storedSettings(settings: StrategySettings): Record<string, unknown> {
  const { maxWorkers, batchSize, passOutput, stopOnFailure, timeout } = settings;
  return JSON.parse(JSON.stringify({ maxWorkers, batchSize, passOutput, stopOnFailure, timeout })) as Record<string, unknown>;
}

/** Records every phase in `plan.json`; `resumedFrom` names the session the phases continue. */
export function recordPlan(session: OrchestratorSession, phases: readonly Phase[], resumedFrom?: string): void {
  for (const phase of phases) {
    session.plan(phase.processes, {
      title: phase.title,
      strategy: phase.strategy,
      settings: storedSettings(phase.settings),
      ...(resumedFrom ? { resumedFrom } : {}),
    });
  }
}

/**
 * The directory of an earlier session: a path to it, or a session id looked up under the log root
 * (`--log-dir`, or `<working-dir>/.claude/runtime/logs`).
 */
export function sessionDirectory(reference: string, workingDir: string, logDir: string | undefined): string {
  const asPath = resolve(workingDir, reference);
  if (isAbsolute(reference) || reference.includes('/') || (existsSync(asPath) && statSync(asPath).isDirectory())) return asPath;
  return resolve(workingDir, logDir ?? defaults.logRoot, reference);
}

/** What `orchestrate resume` runs: the earlier session's pending processes, phase by phase, with its settings. */
export function resumePhases(work: PendingWork, session: OrchestratorSession, signal: AbortSignal): Phase[] {
  return work.phases.map((phase) => {
    const strategy = STRATEGIES.includes(phase.strategy as StrategyName) ? (phase.strategy as StrategyName) : 'sequential';
    return {
      title: phase.title ?? strategy,
      strategy,
      settings: { ...(phase.settings as StrategySettings | undefined), signal },
      processes: phase.processes.map((planned) => session.createPlanned(planned)),
    };
  });
}

/** `--resume-failed`: each phase without the processes that succeeded in the earlier session; empty phases dropped. */
export function withoutSucceededPhases(phases: readonly Phase[], earlierDir: string): Phase[] {
  return phases
    .map((phase) => ({ ...phase, processes: withoutSucceeded(phase.processes, earlierDir, { fallback: phase.strategy === 'fallback' }) }))
    .filter((phase) => phase.processes.length > 0);
}

/** The earlier session's pending work, for `resume`. */
export function pendingWork(reference: string, workingDir: string, logDir: string | undefined): PendingWork {
  return pendingFrom(sessionDirectory(reference, workingDir, logDir));
}
