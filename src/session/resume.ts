/**
 * Resuming: what an earlier session left undone, read from its plan and its job log. A planned
 * process is done when the job log has a line with exit code 0 for its id (a repeated id needs as
 * many such lines as it was planned); everything else failed or never ran and is pending. A
 * `fallback` phase is one chain: done as a whole when any of its processes succeeded, otherwise
 * pending as a whole (the chain is tried again from the start).
 */
import { readJobLog, type JobLogEntry } from './job-log';
import { PLAN_FILE, readPlan, type PlanIntegrityPolicy, type PlanPhase, type SessionPlan } from './plan';
import { describeProcess, jobIdentity, type PlannedProcess } from './planned-process';
import type { Runnable } from '../process/types';
import { ResumeError } from '../errors';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** What an earlier session left to do. */
export interface PendingWork {
  readonly sessionDir: string;
  readonly plan: SessionPlan;
  readonly jobLog: readonly JobLogEntry[];
  /** The plan's phases holding only their pending processes; phases with nothing left are left out. */
  readonly phases: readonly PlanPhase[];
  /** Every pending process, phase after phase. */
  readonly pending: readonly PlannedProcess[];
  /** Ids of the processes that succeeded. */
  readonly done: readonly string[];
}

/** How many successful job-log lines each id has. */
function successes(jobLog: readonly JobLogEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of jobLog) if (entry.exitCode === 0) counts.set(entry.processId, (counts.get(entry.processId) ?? 0) + 1);
  return counts;
}

/** Splits `items` into done and pending, consuming one success per done item. */
function split<T extends { readonly processId: string }>(items: readonly T[], counts: Map<string, number>, fallback: boolean): { done: T[]; pending: T[] } {
  if (fallback) {
    const succeeded = items.some((item) => (counts.get(item.processId) ?? 0) > 0);
    return succeeded ? { done: [...items], pending: [] } : { done: [], pending: [...items] };
  }
  const done: T[] = [];
  const pending: T[] = [];
  for (const item of items) {
    const left = counts.get(item.processId) ?? 0;
    if (left > 0) {
      counts.set(item.processId, left - 1);
      done.push(item);
    } else pending.push(item);
  }
  return { done, pending };
}

/**
 * What failed or never ran in an earlier session, from its `plan.json` and `joblog.tsv`.
 * Throws a `ResumeError` when the session has no plan, when plan.json or joblog.tsv is not a
 * regular file, or when the plan's integrity check fails (`integrity`, default `require`: see
 * `readPlan`).
 *
 * @example
 * ```ts
 * import { OrchestratorSession, runSequential } from 'rx-orchestration';
 * import { pendingFrom } from 'rx-orchestration/toolkit';
 * const work = pendingFrom('.claude/runtime/logs/cli-sequential_20250101-120000_abcd1234');
 * const session = new OrchestratorSession({ patternName: 'resumed' });
 * const processes = work.pending.map((planned) => session.createPlanned(planned));
 * await runSequential(processes);
 * ```
 */
export function pendingFrom(sessionDir: string, options: { readonly integrity?: PlanIntegrityPolicy } = {}): PendingWork {
  if (!existsSync(sessionDir)) throw new ResumeError(sessionDir, 'no such directory');
  const plan = readPlan(sessionDir, options);
  const jobLog = readJobLog(sessionDir);
  const counts = successes(jobLog);
  const phases: PlanPhase[] = [];
  const done: string[] = [];
  for (const phase of plan.phases) {
    const parts = split(phase.processes, counts, phase.strategy === 'fallback');
    done.push(...parts.done.map((p) => p.processId));
    if (parts.pending.length > 0) phases.push({ ...phase, processes: parts.pending });
  }
  return { sessionDir, plan, jobLog, phases, pending: phases.flatMap((phase) => phase.processes), done };
}

/**
 * GNU parallel's `--resume-failed` for a list you build again: the processes that did not succeed
 * in the earlier session. A process is skipped when the earlier job log has a success for its id
 * and, if the earlier session has a plan, the plan's process of that id is the same job (the same
 * spec, leaving aside the options every run has: directory, environment, timeouts, limits, retry;
 * see `jobIdentity`). Successes count across the chain of sessions
 * (`resumedFrom` in a plan): a session that itself skipped what succeeded earlier still counts
 * those. With `fallback: true` the list is one chain: all of it is skipped when any of it
 * succeeded, none otherwise.
 *
 * @example
 * ```ts
 * import { CommandProcess, runParallel } from 'rx-orchestration';
 * import { withoutSucceeded } from 'rx-orchestration/toolkit';
 * const jobs = ['a', 'b', 'c'].map((word) => new CommandProcess({ command: 'echo', args: [word], processId: word }));
 * const left = withoutSucceeded(jobs, '.claude/runtime/logs/my-earlier-session');
 * await runParallel(left);
 * ```
 */
export function withoutSucceeded<T extends Runnable>(processes: readonly T[], sessionDir: string, options: { readonly fallback?: boolean } = {}): T[] {
  if (!existsSync(sessionDir)) throw new ResumeError(sessionDir, 'no such directory');
  const counts = new Map<string, number>();
  const earlier = new Map<string, string>();
  let hasPlan = false;
  for (const dir of sessionChain(sessionDir)) {
    for (const [id, count] of successes(readJobLog(dir))) counts.set(id, (counts.get(id) ?? 0) + count);
    if (!existsSync(join(dir, PLAN_FILE))) continue;
    hasPlan = true;
    for (const planned of readPlan(dir, { integrity: 'ignore' }).phases.flatMap((phase) => phase.processes)) {
      const job = jobIdentity(planned);
      if (job !== null && !earlier.has(planned.processId)) earlier.set(planned.processId, job);
    }
  }
  if (hasPlan) {
    for (const runnable of processes) {
      let same = false;
      try {
        const job = jobIdentity(describeProcess(runnable));
        same = job !== null && earlier.get(runnable.processId) === job;
      } catch {
        same = false; // not describable: cannot be proven the same job
      }
      if (!same) counts.delete(runnable.processId);
    }
  }
  return split(processes, counts, options.fallback ?? false).pending;
}

/** A session and, through its plan's `resumedFrom`, every earlier session it continued (newest first). */
function sessionChain(sessionDir: string): string[] {
  const chain: string[] = [];
  const queue = [sessionDir];
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    if (chain.includes(dir) || !existsSync(dir)) continue;
    chain.push(dir);
    if (!existsSync(join(dir, PLAN_FILE))) continue;
    for (const phase of readPlan(dir, { integrity: 'ignore' }).phases) if (phase.resumedFrom) queue.push(phase.resumedFrom);
  }
  return chain;
}
