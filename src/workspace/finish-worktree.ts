/**
 * After a run: commits whatever it left in its worktree to its branch (`rxo: <process id>`, no
 * hooks, no signing, a neutral identity when the repository has none), sums up the branch
 * against its base (changed files, lines added and removed, the patch on request), then keeps
 * or removes the worktree and branch as `keep` says.
 */
import { git, GitError } from './git';
import { retryOnLock } from './repo-lock';
import type { Worktree } from './worktree';
import { removeWorktree } from './remove-worktree';
import type { DiffStat, WorkspaceInfo } from './workspace-result';
import type { WorktreeSettings } from './workspace-options';

/** Who commits a run's changes when the repository names nobody (`user.email` unset). */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'rx-orchestration',
  GIT_AUTHOR_EMAIL: 'rx-orchestration@localhost',
  GIT_COMMITTER_NAME: 'rx-orchestration',
  GIT_COMMITTER_EMAIL: 'rx-orchestration@localhost',
};

/** Lines of `git diff --numstat -z` summed (a binary file counts as changed, with 0 lines). */
export function parseNumstat(text: string): DiffStat {
  let files = 0;
  let insertions = 0;
  let deletions = 0;
  // -z: "<added>\t<deleted>\t<path>\0", or for a rename "<added>\t<deleted>\t\0<from>\0<to>\0".
  const fields = text.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(fields[i]);
    if (!match) continue;
    files += 1;
    insertions += match[1] === '-' ? 0 : Number(match[1]);
    deletions += match[2] === '-' ? 0 : Number(match[2]);
    if (match[3] === '') i += 2; // a rename's two paths follow
  }
  return { files, insertions, deletions };
}

/** Commits the worktree's changes, if any, and returns the branch's head. */
async function commitChanges(worktree: Worktree, processId: string): Promise<string> {
  const run = (args: string[], env?: Record<string, string>) => retryOnLock(() => git(args, { git: worktree.git, cwd: worktree.path, env }));
  await run(['add', '--all']);
  const staged = await run(['diff', '--cached', '--quiet']).then(() => false, (error: unknown) => {
    if (error instanceof GitError && error.exitCode === 1) return true;
    throw error;
  });
  if (staged) {
    const named = await run(['config', '--get', 'user.email']).then((email) => email.trim() !== '', () => false);
    await run(['-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '-m', `rxo: ${processId}`], named ? undefined : IDENTITY);
  }
  return (await run(['rev-parse', 'HEAD'])).trim();
}

/** Sums up a worktree after its run, then keeps or removes it. Never rejects: a failure is `error`, and then nothing is removed. */
export async function finishWorktree(worktree: Worktree, settings: Pick<WorktreeSettings, 'keep' | 'patch'>, processId: string): Promise<WorkspaceInfo> {
  const { path, branch, base } = worktree;
  const known = { path, branch, base };
  let info: WorkspaceInfo;
  try {
    const head = await commitChanges(worktree, processId);
    const run = (args: string[]) => git(args, { git: worktree.git, cwd: path });
    const changedFiles = (await run(['diff', '--name-only', '-z', '--no-renames', base, head])).split('\0').filter((name) => name !== '').sort();
    const diffStat = parseNumstat(await run(['diff', '--numstat', '-z', base, head]));
    const patch = settings.patch ? await run(['diff', '--binary', base, head]) : undefined;
    const kept = settings.keep === 'always' || (settings.keep === 'on-change' && changedFiles.length > 0);
    info = { ...known, head, changedFiles, diffStat, ...(patch === undefined ? {} : { patch }), kept };
  } catch (error) {
    return { ...known, head: base, changedFiles: [], diffStat: { files: 0, insertions: 0, deletions: 0 }, kept: true, error: `could not sum up the worktree: ${(error as Error).message}` };
  }
  if (info.kept) return info;
  try {
    await removeWorktree(worktree);
    return info;
  } catch (error) {
    return { ...info, kept: true, error: `could not remove the worktree: ${(error as Error).message}` };
  }
}
