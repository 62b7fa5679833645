/**
 * The CLI's side of resume: find the earlier session (`orchestrate resume <session>`,
 * `--resume-failed <session>`) and check it before running anything; the library builds the plan
 * (`resumePlan`) and leaves out what already succeeded (`orchestrate`'s `resumeFailed`).
 *
 * Before `resume` runs anything (`prepareResume`): the plan must pass its integrity check
 * (`--trust-plan` accepts a plan without one), none of the earlier session's processes may still
 * run (`--kill-stale` stops them first), and the user sees exactly what will run and confirms it:
 * on a terminal by answering y, otherwise with `--yes`.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { defaults, ResumeError, type PendingWork } from '../index';
import { liveProcesses, pendingFrom, stopLiveProcesses, type LiveProcess } from '../toolkit';
import { askYesNo, inert, reviewText } from './resume-review';

/**
 * The directory of an earlier session: a path to it, or a session id looked up under the log root
 * (`--log-dir`, or `<working-dir>/.claude/runtime/logs`).
 */
export function sessionDirectory(reference: string, workingDir: string, logRoot: string | undefined): string {
  const asPath = resolve(workingDir, reference);
  if (isAbsolute(reference) || reference.includes('/') || (existsSync(asPath) && statSync(asPath).isDirectory())) return asPath;
  return resolve(workingDir, logRoot ?? defaults.logRoot, reference);
}

/** The earlier session's pending work, for `resume`; `trustPlan` accepts a plan without an integrity check. */
export function pendingWork(reference: string, workingDir: string, logRoot: string | undefined, trustPlan = false): PendingWork {
  return pendingFrom(sessionDirectory(reference, workingDir, logRoot), { integrity: trustPlan ? 'allow-unsigned' : 'require' });
}

export interface ResumeFlags {
  /** `--kill-stale`: stop the earlier session's processes that still run, then resume. */
  readonly killStale?: boolean;
  /** `--yes`: run without asking. */
  readonly yes?: boolean;
  /** `--trust-plan`: accept a plan that has no integrity check. */
  readonly trustPlan?: boolean;
}

export interface ResumeContext {
  readonly reference: string;
  readonly workingDir: string;
  readonly logRoot: string | undefined;
  readonly flags: ResumeFlags;
  readonly env: NodeJS.ProcessEnv;
  /** Both stdin and stdout are terminals: the user can be asked. */
  readonly interactive: boolean;
  readonly stdin?: NodeJS.ReadableStream;
  readonly stderr: { write(text: string): unknown };
  /** A note for the user (stdout, or stderr with --json). */
  note(text: string): void;
  /** Ctrl-C, SIGTERM, SIGHUP: stop waiting. */
  readonly signal: AbortSignal;
}

/** Why `resume` runs nothing: processes still running, the user said no, or no way to ask. */
export type ResumeRefusal = 'stale' | 'declined' | 'unconfirmed';

function liveList(live: readonly LiveProcess[]): string {
  return live.map((found) => `  ${inert(found.processId)}: pid ${found.running.join(', ')} (group ${found.pgid})`).join('\n');
}

/**
 * Everything `resume` checks before it creates its session: the plan (integrity, regular files:
 * a `ResumeError` otherwise), processes of the earlier run still running, and the user's consent.
 * Resolves the work to run, or why not (the reason is already written to stderr).
 */
export async function prepareResume(context: ResumeContext): Promise<PendingWork | ResumeRefusal> {
  const work = pendingWork(context.reference, context.workingDir, context.logRoot, context.flags.trustPlan);
  let live: LiveProcess[];
  try {
    live = liveProcesses(work.sessionDir);
  } catch (error) {
    throw new ResumeError(work.sessionDir, (error as Error).message, error);
  }
  if (live.length > 0 && !context.flags.killStale) {
    context.stderr.write(
      `orchestrate: cannot resume ${inert(work.sessionDir)}: ${live.length} of its processes still run (from a run that did not end cleanly):\n${liveList(live)}\n` +
        'Stop them, or pass --kill-stale to stop them (SIGTERM, then SIGKILL) and resume.\n',
    );
    return 'stale';
  }
  if (live.length > 0) {
    context.note(`Stopping ${live.length} process(es) still running from ${inert(work.sessionDir)}:\n${liveList(live)}`);
    const outcome = await stopLiveProcesses(live, { signal: context.signal });
    if (context.signal.aborted) return work;
    if (outcome.survivors.length > 0) {
      context.stderr.write(`orchestrate: cannot resume ${inert(work.sessionDir)}: pid ${outcome.survivors.join(', ')} still run after SIGKILL\n`);
      return 'stale';
    }
    context.note(`Stopped: ${outcome.terminated} on SIGTERM, ${outcome.killed} with SIGKILL.`);
  }
  if (work.pending.length === 0) return work;
  const review = reviewText(work, context.env);
  if (context.flags.yes) {
    context.note(review);
    return work;
  }
  if (!context.interactive || !context.stdin) {
    context.stderr.write(`${review}\norchestrate: resume runs the commands above; check them and pass --yes to run them (there is no terminal to ask on)\n`);
    return 'unconfirmed';
  }
  const yes = await askYesNo(`${review}\nRun these ${work.pending.length} process(es)? [y/N] `, { input: context.stdin, output: context.stderr, signal: context.signal });
  if (context.signal.aborted) return work;
  if (!yes) {
    context.stderr.write('orchestrate: not resumed; nothing was run\n');
    return 'declined';
  }
  return work;
}
