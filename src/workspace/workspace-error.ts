/**
 * Why a run's workspace could not be made (or cleaned): a typed error whose `code` says which
 * problem it is, so that a caller can tell a missing `git` from a dirty base. The runnable layer
 * turns one into a failed result before the agent starts; nothing is left behind.
 */

/** The kinds of workspace failure. */
export type WorkspaceErrorCode =
  | 'git-missing'
  | 'not-a-repository'
  | 'dirty-base'
  | 'bad-base'
  | 'bad-branch'
  | 'branch-exists'
  | 'path-exists'
  | 'unsafe-root'
  | 'bad-process-id'
  | 'git-failed';

export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';
  constructor(
    readonly code: WorkspaceErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
