/**
 * Makes a run's worktree: checks that the working directory is in a git repository whose
 * tracked files have no uncommitted changes (when starting from HEAD), that the base is a commit
 * and the branch name is valid and new, then `git worktree add -b <branch> <path> <base>` (one
 * at a time per repository). Fails with a `WorkspaceError` and leaves nothing behind.
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { defaults } from '../defaults';
import { git, GitError } from './git';
import { retryOnLock, withRepoLock } from './repo-lock';
import { WorkspaceError } from './workspace-error';
import type { WorktreeSettings } from './workspace-options';
import { discardFailedWorktree } from './remove-worktree';
import type { Worktree } from './worktree';

export type { Worktree } from './worktree';

export interface CreateWorktreeRequest {
  /** The run's working directory: somewhere in the repository. */
  readonly cwd: string;
  readonly processId: string;
  /** Names the branch (`rxo/<sessionId>/<processId>`) and the directory. */
  readonly sessionId: string;
  readonly settings: WorktreeSettings;
}

/** A path segment that cannot climb out of, or nest inside, the worktrees' directory. */
function checkSegment(name: string, value: string): void {
  if (value === '' || value === '.' || value.includes('..') || /[/\\\0]/.test(value)) {
    throw new WorkspaceError('bad-process-id', `${name} ${JSON.stringify(value)} cannot name a worktree: it must not be empty or hold "/", "\\\\" or ".."`);
  }
}

async function trimmed(run: (args: string[]) => Promise<string>, args: string[]): Promise<string> {
  return (await run(args)).trim();
}

export async function createWorktree(request: CreateWorktreeRequest): Promise<Worktree> {
  const { cwd, processId, sessionId, settings } = request;
  checkSegment('process id', processId);
  checkSegment('session id', sessionId);
  if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
    throw new WorkspaceError('not-a-repository', `workspace: the working directory ${cwd} does not exist`);
  }
  const run = (args: string[], at = cwd): Promise<string> => git(args, { git: settings.git, cwd: at });
  let repository: string;
  let commonDir: string;
  try {
    [repository, commonDir] = (await trimmed(run, ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-common-dir'])).split('\n');
  } catch (error) {
    if (error instanceof GitError) throw new WorkspaceError('not-a-repository', `workspace: ${cwd} is not in a git repository (a worktree needs one): ${error.stderr.trim()}`, error);
    throw error;
  }
  if (settings.base.startsWith('-')) throw new WorkspaceError('bad-base', `workspace.worktree.base: ${JSON.stringify(settings.base)} is not a commit (it starts with "-")`);
  const base = await run(['rev-parse', '--verify', '--quiet', `${settings.base}^{commit}`]).then(
    (out) => out.trim(),
    (error: unknown) => {
      if (!(error instanceof GitError)) throw error;
      const what = settings.base === 'HEAD' ? 'HEAD is not a commit (a repository without commits?)' : `${JSON.stringify(settings.base)} is not a commit`;
      throw new WorkspaceError('bad-base', `workspace.worktree.base: ${what} in ${repository}`, error);
    },
  );
  if (settings.base === 'HEAD') {
    // Tracked files only: untracked ones are not part of HEAD either way, and are often build output.
    const changes = (await run(['status', '--porcelain', '--untracked-files=no'], repository)).split('\n').filter((line) => line !== '');
    if (changes.length > 0) {
      const named = changes.slice(0, 5).map((line) => line.slice(3)).join(', ');
      throw new WorkspaceError('dirty-base', `workspace: ${repository} has uncommitted changes to ${changes.length} tracked file(s) (${named}${changes.length > 5 ? ', ...' : ''}); the worktree starts from HEAD and would not see them: commit or stash them, or name a base (workspace.worktree.base)`);
    }
  }
  const branch = settings.branch ?? `${defaults.workspaceBranchPrefix}/${sessionId}/${processId}`;
  const badBranch = (why: string, cause?: unknown) => new WorkspaceError('bad-branch', `workspace: ${JSON.stringify(branch)} is not a valid branch name (${why})`, cause);
  if (branch.startsWith('-')) throw badBranch('it starts with "-"');
  await run(['check-ref-format', '--branch', branch]).catch((error: unknown) => {
    throw error instanceof GitError ? badBranch(error.stderr.trim() || 'git check-ref-format refused it', error) : error;
  });
  const ownedRoot = settings.root === undefined ? join(dirname(repository), `${basename(repository)}${defaults.workspaceRootSuffix}`) : undefined;
  const path = join(settings.root ?? (ownedRoot as string), sessionId, processId);
  const inside = relative(repository, realpathSync(cwd));
  const worktree: Worktree = { path, cwd: join(path, inside), branch, base, repository, commonDir, ownedRoot, git: settings.git };
  // Checked and made under the repository's queue, so two runs of this process never race for a name.
  await withRepoLock(commonDir, async () => {
    const exists = await run(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`]).then(() => true, (error: unknown) => {
      if (error instanceof GitError) return false;
      throw error;
    });
    if (exists) throw new WorkspaceError('branch-exists', `workspace: branch ${branch} already exists in ${repository}: name another (workspace.worktree.branch) or delete it`);
    if (ownedRoot !== undefined) refuseUnsafeRoot([ownedRoot, join(ownedRoot, sessionId)]);
    if (statSync(path, { throwIfNoEntry: false })) throw new WorkspaceError('path-exists', `workspace: ${path} already exists`);
    try {
      await retryOnLock(() => run(['worktree', 'add', '--quiet', '-b', branch, path, base], repository));
    } catch (error) {
      // What git made before failing goes: the branch (git never deletes one checked out elsewhere).
      await discardFailedWorktree(worktree);
      if (error instanceof GitError) throw new WorkspaceError('git-failed', `workspace: could not create the worktree ${path}: ${error.message}`, error);
      throw error;
    }
  });
  return worktree;
}

/**
 * The directories the library makes beside the repository (`<repo>.worktrees/<session>`) must be
 * real directories of this user when they exist already: a symlink planted there (the parent of a
 * repository can be shared, /tmp) would put the agent's worktree, and later its removal, wherever
 * it points. A root named in the options is the user's own choice and is not checked.
 */
function refuseUnsafeRoot(dirs: readonly string[]): void {
  const uid = process.getuid?.();
  for (const dir of dirs) {
    const found = lstatSync(dir, { throwIfNoEntry: false });
    if (!found) return;
    const why = found.isSymbolicLink() ? 'is a symbolic link' : !found.isDirectory() ? 'is not a directory' : uid !== undefined && found.uid !== uid ? `belongs to another user (uid ${found.uid})` : undefined;
    if (why) throw new WorkspaceError('unsafe-root', `workspace: ${dir} ${why}; refusing to make worktrees there (remove it, or name a root: workspace.worktree.root)`);
  }
}
