/**
 * A session's plan: `plan.json`, every process the session was asked to run, described well
 * enough to run it again (`orchestrate resume`). Written 0600 inside the 0700 session directory.
 *
 * What is kept: each process's spec (`spec()` of the Runnable: for a command, its program,
 * arguments, stdin and run options; for Claude, the prompt byte-exact, the model and its flags;
 * for your own kinds, whatever your spec holds), without secrets (planned-process.ts). A Runnable
 * without `spec()` is recorded by id, as not resumable.
 *
 * Integrity: a plan carries an HMAC of its canonical bytes keyed by a per-user secret
 * (plan-integrity.ts); `readPlan` refuses a plan whose HMAC does not match, and one without an
 * HMAC unless asked to accept it. It also refuses a plan.json that is not a regular file (a FIFO
 * would block the read forever). A version-1 plan (written before specs) is read as version 2
 * once its integrity was checked (plan-v1.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResumeError } from '../errors';
import type { LogDirectory } from '../logging/log-directory';
import { checkPlan, planKey, signPlan, type PlanCheck, type PlanIntegrity } from './plan-integrity';
import { upgradeV1 } from './plan-v1';
import type { PlannedProcess } from './planned-process';
import { NotRegularFileError, readRegularFile } from './regular-file';

export type { PlannedProcess } from './planned-process';
export { describeProcess, plannedSecrets, redactPlanned } from './planned-process';

export const PLAN_FILE = 'plan.json';

/** A group of processes run with one strategy. */
export interface PlanPhase {
  readonly title?: string;
  /** The strategy's name (`parallel`, `sequential`, `fallback`, `batched`, or your own word). */
  readonly strategy?: string;
  /** The strategy's settings, e.g. `{ maxWorkers: 3 }` (JSON values only). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** The directory of the earlier session these processes continue (resume, `--resume-failed`). */
  readonly resumedFrom?: string;
  readonly processes: readonly PlannedProcess[];
}

export interface SessionPlan {
  /** 2: processes are specs (a version-1 plan is read as version 2). */
  readonly version: 2;
  readonly sessionId: string;
  readonly patternName: string;
  /** The session's working directory: where its processes run unless their spec says otherwise. */
  readonly cwd: string;
  readonly phases: readonly PlanPhase[];
  /** HMAC-SHA256 over the rest of the plan, keyed by the writing user's plan key (absent when no key could be made). */
  readonly integrity?: PlanIntegrity;
}

/**
 * How `readPlan` treats the plan's integrity record: `require` a matching HMAC; `allow-unsigned`
 * also accepts a plan without one (written before plans were signed, or where no key could be
 * made), never one whose HMAC does not match; `ignore` skips the check (reading only, never to run).
 */
export type PlanIntegrityPolicy = 'require' | 'allow-unsigned' | 'ignore';

/**
 * Writes `plan.json` (0600), signed with this user's plan key: by path, or (a session) through its
 * LogDirectory, never through a symlink. When no key can be read or made, the plan is written
 * unsigned and `onUnsigned` hears why (resuming it then needs `allow-unsigned`, the CLI's
 * `--trust-plan`).
 */
export function writePlan(directory: string | LogDirectory, plan: SessionPlan, onUnsigned?: (reason: string) => void): string {
  const { integrity: _old, ...body } = plan;
  let signed: SessionPlan = body;
  try {
    signed = { ...body, integrity: signPlan(body, planKey()) };
  } catch (error) {
    onUnsigned?.((error as Error).message);
  }
  const text = `${JSON.stringify(signed, null, 2)}\n`;
  if (typeof directory !== 'string') {
    directory.replaceFile(PLAN_FILE, text);
    return directory.display(PLAN_FILE);
  }
  const path = join(directory, PLAN_FILE);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

/**
 * Reads `<sessionDir>/plan.json`; throws a `ResumeError` when there is none or it is not a plan.
 * Internal: users read a plan through `pendingFrom(sessionDir).plan` (`rx-orchestration/toolkit`).
 *
 * @example
 * ```ts
 * import { pendingFrom } from 'rx-orchestration/toolkit';
 * const { plan } = pendingFrom('.claude/runtime/logs/cli-parallel_20250101-120000_abcd1234');
 * for (const phase of plan.phases) console.log(phase.strategy, phase.processes.map((p) => p.processId));
 * ```
 */
export function readPlan(sessionDir: string, options: { readonly integrity?: PlanIntegrityPolicy } = {}): SessionPlan {
  const path = join(sessionDir, PLAN_FILE);
  let plan: SessionPlan;
  try {
    plan = JSON.parse(readRegularFile(path)) as SessionPlan;
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `it has no ${PLAN_FILE} (a session records one when the CLI runs, or when session.plan() is called)`
        : error instanceof NotRegularFileError
          ? error.message
          : `${path}: ${(error as Error).message}`;
    throw new ResumeError(sessionDir, why, error);
  }
  const version = (plan as { version?: unknown })?.version;
  if ((version !== 1 && version !== 2) || !Array.isArray(plan.phases)) throw new ResumeError(sessionDir, `${path} is not a session plan (version 1 or 2)`);
  const policy = options.integrity ?? 'require';
  if (policy === 'ignore') return current(plan);
  let check: PlanCheck = 'missing';
  try {
    if (plan.integrity !== undefined) check = checkPlan(plan, planKey());
  } catch (error) {
    throw new ResumeError(sessionDir, `cannot check ${path}: ${(error as Error).message}`, error);
  }
  if (check === 'mismatch') {
    throw new ResumeError(sessionDir, `${path} was changed after it was written (or written by another user): its integrity check does not match; refusing to run anything from it`);
  }
  if (check === 'missing' && policy !== 'allow-unsigned') {
    throw new ResumeError(sessionDir, `${path} has no integrity check (written before plans were signed, or where no plan key could be made); check what it runs, then pass --trust-plan (library: integrity: 'allow-unsigned')`);
  }
  return current(plan);
}

/** A plan as version 2 (a version-1 plan's processes become specs); the integrity record is kept as read. */
function current(plan: SessionPlan): SessionPlan {
  if ((plan as { version: number }).version === 2) return plan;
  const { workingDir: _old, ...rest } = plan as unknown as SessionPlan & { workingDir?: string };
  const upgraded = upgradeV1(plan as unknown as Parameters<typeof upgradeV1>[0]);
  return { ...rest, version: 2, cwd: upgraded.cwd ?? '', phases: upgraded.phases };
}
