/**
 * Many worktrees of one repository made, committed and removed at once must not fail on git's
 * own locks (`index.lock`, `packed-refs.lock`, `config.lock` under `.git/`). Two defences:
 * changes to one repository run one at a time in this process (a queue per repository), and a
 * command that still meets a `*.lock` held by someone else (another process, the user's git) is
 * tried again after a growing pause, a few times, before its error is reported.
 */
import { defaults } from '../defaults';
import { GitError } from './git';

const queues = new Map<string, Promise<unknown>>();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True for git's "another git process seems to be running" family of errors. */
export function isLockError(error: unknown): boolean {
  return error instanceof GitError && /\.lock\b|Unable to create .*lock|cannot lock ref|could not lock/i.test(error.stderr);
}

/** Runs `task` again while it fails on a lock: up to `defaults.gitLockRetries` more tries, waits doubling from `gitLockRetryMs`. */
export async function retryOnLock<T>(task: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (!isLockError(error) || attempt >= defaults.gitLockRetries) throw error;
      await sleep(defaults.gitLockRetryMs * 2 ** attempt);
    }
  }
}

/**
 * Runs `task` once every earlier task for the same repository (its common git directory) has
 * settled (wrap its git commands in `retryOnLock`). Tasks of different repositories run side by side.
 */
export function withRepoLock<T>(repository: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(repository) ?? Promise.resolve();
  const run = previous.then(task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(repository, settled);
  // The queue forgets a repository once its last task has settled.
  void settled.then(() => {
    if (queues.get(repository) === settled) queues.delete(repository);
  });
  return run;
}
