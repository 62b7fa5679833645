/**
 * Runs `git` for the workspace layer: no shell, `LC_ALL=C` (messages this layer reads), no
 * prompts, no optional locks (a status never takes the index lock), and none of the host's
 * `GIT_DIR`-style variables (a run started from a git hook must not point git elsewhere).
 * A missing executable is a `WorkspaceError('git-missing')`; a failing command a `GitError`.
 */
import { execFile } from 'node:child_process';
import { WorkspaceError } from './workspace-error';

/** Variables that would make git act on another repository than the one asked. */
const REDIRECTING = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY', 'GIT_NAMESPACE', 'GIT_PREFIX'];

/** A git command that exited non-zero: its arguments, exit code and stderr. */
export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${stderr.trim() || 'no message'}`);
  }
}

export interface GitOptions {
  /** The git executable. @default 'git' */
  readonly git?: string;
  /** Where git runs. */
  readonly cwd: string;
  /** Extra environment variables (an identity for a commit). @default {} */
  readonly env?: Readonly<Record<string, string>>;
}

function environment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', ...extra };
  for (const key of REDIRECTING) delete env[key];
  return env;
}

/** Runs git and resolves its stdout; rejects with a `GitError`, or a `WorkspaceError` when git cannot be started. */
export function git(args: readonly string[], options: GitOptions): Promise<string> {
  const executable = options.git ?? 'git';
  return new Promise((resolve, reject) => {
    execFile(executable, args, { cwd: options.cwd, env: environment(options.env), maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // From spawn: the executable was not found (callers check the directory exists first).
        return reject(new WorkspaceError('git-missing', `cannot run ${executable}: it was not found (is git installed and on PATH?)`, error));
      }
      if (code === 'EACCES') return reject(new WorkspaceError('git-missing', `cannot run ${executable}: permission denied`, error));
      reject(new GitError(args, typeof code === 'number' ? code : null, stderr));
    });
  });
}
