/**
 * A run in its own git worktree (`workspace` option): the worktree is made before the process
 * starts, the run works there, and once its result is known the worktree is summed up and kept
 * or removed (`keep`); the result then carries it as `workspace`. A worktree that cannot be made
 * (no git, not a repository, a dirty base, a bad branch name) gives a failed result before
 * anything starts, as a missing program does (`spawn-error`; exit code 127 when git is missing,
 * 1 otherwise). A run abandoned by an unsubscribe still has its worktree summed up and cleaned.
 */
import { randomBytes } from 'node:crypto';
import { concatMap, from, map, Observable, of, type Subscription } from 'rxjs';
import type { WorkspaceSpec } from '../process/spec';
import { unstartedResult } from '../process/spawn-events';
import type { ProcessEvent, ProcessResult } from '../process/types';
import { createWorktree, type Worktree } from '../workspace/create-worktree';
import { finishWorktree } from '../workspace/finish-worktree';
import { WorkspaceError } from '../workspace/workspace-error';
import { worktreeSettings } from '../workspace/workspace-options';
import type { WorkspaceResult } from '../workspace/workspace-result';

export interface WorkspaceRun {
  readonly spec: WorkspaceSpec;
  /** The run's own working directory, in the repository. */
  readonly cwd: string;
  readonly processId: string;
  /** The session's id (branch `rxo/<session id>/<process id>`). @default a fresh `run-...` id */
  readonly sessionId?: string;
}

/** What the run does, given where: the whole pipeline in the worktree, or a result alone. */
export interface WorkspaceBody {
  run(cwd: string): Observable<ProcessEvent>;
  failed(result: ProcessResult): Observable<ProcessEvent>;
}

/** A unique id for runs outside a session: `run-<time>-<random>`. */
export function freshRunId(): string {
  return `run-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function inWorkspace(request: WorkspaceRun, body: WorkspaceBody): Observable<ProcessEvent> {
  return new Observable<ProcessEvent>((subscriber) => {
    const settings = worktreeSettings(request.spec);
    const { processId } = request;
    let closed = false;
    let worktree: Worktree | undefined;
    let finishing = false;
    let inner: Subscription | undefined;
    const finish = (made: Worktree) => {
      finishing = true;
      return finishWorktree(made, settings, processId);
    };
    createWorktree({ cwd: request.cwd, processId, sessionId: request.sessionId ?? freshRunId(), settings }).then(
      (made) => {
        if (closed) return void finish(made);
        worktree = made;
        inner = body
          .run(made.cwd)
          .pipe(
            concatMap((event) => {
              if (event.type !== 'result') return of(event);
              return from(finish(made)).pipe(map((workspace): ProcessEvent => ({ ...event, result: { ...event.result, workspace } as WorkspaceResult })));
            }),
          )
          .subscribe(subscriber);
      },
      (error: unknown) => {
        if (closed) return;
        const known = error instanceof WorkspaceError;
        const message = known ? error.message : `workspace: ${(error as Error)?.message ?? String(error)}`;
        const exitCode = known && error.code === 'git-missing' ? 127 : 1;
        inner = body.failed(unstartedResult(processId, 'spawn-error', exitCode, message, false)).subscribe(subscriber);
      },
    );
    return () => {
      closed = true;
      inner?.unsubscribe();
      // Abandoned mid-run: the worktree is still summed up and kept or removed as asked.
      if (worktree && !finishing) void finish(worktree);
    };
  });
}
