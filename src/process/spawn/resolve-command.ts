/**
 * Finds the executable a command names, the way execvp(3) would, so that a missing binary, a
 * file that is not executable or a missing working directory become a clear message before
 * anything is spawned (node-pty, for one, reports none of these). Like execvp(3), a child
 * environment without PATH (`extendEnv: false`) searches a default path instead of nothing.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * Searched when the child's environment has no PATH, as execvp(3) does. glibc's own default
 * (`getconf PATH`) is `/bin:/usr/bin`; this is the longer list the issue asked for, the one most
 * shells start with, kept as a constant so a lookup never spawns anything.
 */
export const DEFAULT_SEARCH_PATH = '/usr/local/bin:/usr/bin:/bin';

/** The directories a command is looked up in: `pathVariable` when set (even empty), else the default. */
export function searchPath(pathVariable: string | undefined): string {
  return pathVariable ?? DEFAULT_SEARCH_PATH;
}

/** A reason a command cannot be run, with the exit code a shell would give. */
export interface SpawnProblem {
  readonly exitCode: number;
  readonly message: string;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function checkFile(path: string, command: string): string | SpawnProblem {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    return { exitCode: 127, message: `command not found: ${command} (no such file: ${path})` };
  }
  if (!isFile) return { exitCode: 126, message: `cannot run ${command}: ${path} is not a regular file` };
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { exitCode: 126, message: `cannot run ${command}: ${path} is not executable (permission denied)` };
  }
  return path;
}

/**
 * Returns the absolute path of the executable, or the problem that prevents running it.
 * A command containing `/` is taken relative to `cwd`; any other is looked up on `PATH`
 * (`pathVariable`), or on `DEFAULT_SEARCH_PATH` when there is none. Empty PATH entries are
 * skipped (execvp would take them as the current directory). The message says which path was searched.
 */
export function resolveCommand(command: string, cwd: string, pathVariable: string | undefined): string | SpawnProblem {
  if (!isDirectory(cwd)) {
    return { exitCode: 1, message: `working directory does not exist or is not a directory: ${cwd}` };
  }
  if (command.length === 0) return { exitCode: 127, message: 'command not found: the command is an empty string' };
  if (command.includes('/')) return checkFile(isAbsolute(command) ? command : resolve(cwd, command), command);
  let firstProblem: SpawnProblem | undefined;
  const path = searchPath(pathVariable);
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const found = checkFile(join(resolve(cwd, dir), command), command);
    if (typeof found === 'string') return found;
    if (found.exitCode === 126 && firstProblem === undefined) firstProblem = found;
  }
  const searched = pathVariable === undefined ? `PATH is not set; searched the default path ${path}` : 'searched PATH';
  return firstProblem ?? { exitCode: 127, message: `command not found: ${command} (${searched})` };
}
