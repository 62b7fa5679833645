/**
 * Real git repositories in temporary directories for the workspace specs: one commit holding
 * `shared.txt` and `src/app.txt`, an identity of its own (so no commit depends on the host's
 * git config), and readers of what git says afterwards (worktrees, branches, status).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ORIGINAL = 'original\n';

const ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

/** Runs git in `cwd` and returns its stdout. */
export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' });
}

/** A new repository in `dir`/repo with one commit; returns its path. */
export function makeRepo(dir: string): string {
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'src'), { recursive: true });
  gitIn(repo, 'init', '--quiet', '--initial-branch=main');
  gitIn(repo, 'config', 'user.name', 'Spec');
  gitIn(repo, 'config', 'user.email', 'spec@example.invalid');
  gitIn(repo, 'config', 'commit.gpgsign', 'false');
  writeFileSync(join(repo, 'shared.txt'), ORIGINAL);
  writeFileSync(join(repo, 'src', 'app.txt'), 'app\n');
  gitIn(repo, 'add', '.');
  gitIn(repo, 'commit', '--quiet', '-m', 'initial');
  return repo;
}

/** The paths of the repository's worktrees, the main one first. */
export function worktreePaths(repo: string): string[] {
  return gitIn(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice(9));
}

/** The repository's branches. */
export function branches(repo: string): string[] {
  return gitIn(repo, 'branch', '--format=%(refname:short)').split('\n').filter((b) => b !== '').sort();
}

/** `git status --porcelain` of the main working tree (untracked files included). */
export function status(repo: string): string {
  return gitIn(repo, 'status', '--porcelain');
}
