/**
 * What a run's worktree became, on its result as `workspace` (`WorkspaceResult`, read with
 * `workspaceOf(result)`): where it was, its branch and base, what the run changed, and whether
 * the worktree and branch were kept.
 */
import type { ProcessResult } from '../process/types';

/** Lines added and removed over the files a run changed (`git diff --numstat`; binary files count 0). */
export interface DiffStat {
  readonly files: number;
  readonly insertions: number;
  readonly deletions: number;
}

/** A run's worktree, summed up after the run. */
export interface WorkspaceInfo {
  /** The worktree's directory (gone when `kept` is false). */
  readonly path: string;
  /** The run's branch; its changes are committed there (`rxo: <process id>`). */
  readonly branch: string;
  /** The commit the branch started from (a full hash). */
  readonly base: string;
  /** The branch's last commit after the run (equal to `base` when nothing changed). */
  readonly head: string;
  /** Paths (relative to the repository) the run added, changed or deleted, sorted. */
  readonly changedFiles: readonly string[];
  readonly diffStat: DiffStat;
  /** The whole diff from `base` (`git diff --binary`), with `patch: true` only. */
  readonly patch?: string;
  /** Whether the worktree and its branch are still there. */
  readonly kept: boolean;
  /** Why the summary or the cleanup failed (what was known is still given; nothing was removed). */
  readonly error?: string;
}

/** A result that may carry its run's workspace. */
export interface WorkspaceResult extends ProcessResult {
  readonly workspace?: WorkspaceInfo;
}

/**
 * The workspace of a run's result, or undefined for a run without one.
 *
 * @example
 * ```ts
 * import { CommandProcess } from 'rx-orchestration';
 * import { workspaceOf } from 'rx-orchestration/toolkit';
 * const result = await new CommandProcess({ command: 'touch', args: ['new-file'], workspace: 'worktree' }).run();
 * console.log(workspaceOf(result)?.branch, workspaceOf(result)?.changedFiles); // rxo/run-.../touch [ 'new-file' ]
 * ```
 */
export function workspaceOf(result: ProcessResult): WorkspaceInfo | undefined {
  return (result as WorkspaceResult).workspace;
}
