/**
 * Removes a run's worktree and its branch (one repository change at a time, retried on git's
 * locks), then the directories this layer made for it when they are left empty.
 */
import { rmdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { git, GitError } from './git';
import { retryOnLock, withRepoLock } from './repo-lock';
import type { Worktree } from './worktree';

/** Removes an empty directory; anything else (not empty, gone) is left as it is. */
function removeIfEmpty(directory: string): void {
  try {
    rmdirSync(directory);
  } catch {
    // not empty, or already gone: either way nothing of ours is left there
  }
}

/** `git branch -D`, tolerating a branch that is already gone. */
async function deleteBranch(worktree: Worktree): Promise<void> {
  const run = (args: string[]) => retryOnLock(() => git(args, { git: worktree.git, cwd: worktree.repository }));
  const exists = await run(['show-ref', '--verify', '--quiet', `refs/heads/${worktree.branch}`]).then(() => true, (error: unknown) => {
    if (error instanceof GitError) return false;
    throw error;
  });
  if (exists) await run(['branch', '-D', '--quiet', worktree.branch]);
}

/** Removes the worktree (even with changes in it) and its branch. */
export function removeWorktree(worktree: Worktree): Promise<void> {
  return withRepoLock(worktree.commonDir, async () => {
    const run = (args: string[]) => retryOnLock(() => git(args, { git: worktree.git, cwd: worktree.repository }));
    await run(['worktree', 'remove', '--force', '--force', worktree.path]);
    await deleteBranch(worktree);
    const sessionDirectory = dirname(worktree.path);
    removeIfEmpty(sessionDirectory);
    if (worktree.ownedRoot !== undefined) removeIfEmpty(worktree.ownedRoot);
  });
}

/** After a failed `git worktree add` (already inside the repository's queue): its records and branch go. */
export async function discardFailedWorktree(worktree: Worktree): Promise<void> {
  const run = (args: string[]) => retryOnLock(() => git(args, { git: worktree.git, cwd: worktree.repository }));
  await run(['worktree', 'prune']).catch(() => undefined);
  await deleteBranch(worktree).catch(() => undefined);
  removeIfEmpty(dirname(worktree.path));
  if (worktree.ownedRoot !== undefined) removeIfEmpty(worktree.ownedRoot);
}
