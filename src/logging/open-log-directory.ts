/**
 * Opening the directories logs go into: a session's new directory under a log root, or a
 * directory the caller names (a session's explicit `logDir`, a process's `logDir`).
 */
import { closeSync, lstatSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { LogDirectoryError } from '../errors';
import { LogDirectory } from './log-directory';
import { makeDirectoryChain } from './trusted-directory';

/**
 * Creates `<logRoot>/<name>` new (0700; an error if anything is there already) and opens it.
 * The log root and its missing parents are created; an existing log root must be trusted
 * (ours or root's, not writable by group or others unless sticky).
 */
export function createSessionDirectory(logRoot: string, name: string): LogDirectory {
  makeDirectoryChain(logRoot);
  const root = LogDirectory.openExisting(logRoot, { followLink: true });
  try {
    return root.createChild(name);
  } finally {
    root.close();
  }
}

/**
 * Opens the directory `path` names: an existing one is reused if it is a real directory (not a
 * symlink) we trust; a missing one is created new, with its missing parents.
 */
export function openNamedDirectory(path: string): LogDirectory {
  const target = resolve(path);
  let exists = true;
  try {
    const stats = lstatSync(target);
    if (stats.isSymbolicLink()) throw new LogDirectoryError(target, 'it is a symbolic link (refused: logs are never written through one)');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (error instanceof LogDirectoryError) throw error;
      throw new LogDirectoryError(target, error);
    }
    exists = false;
  }
  if (exists) return LogDirectory.openExisting(target, { followLink: false });
  return createSessionDirectory(dirname(target), basename(target));
}

/** Opens `path` (see `openNamedDirectory`) and proves it writable, then closes it. */
export function prepareLogDirectory(path: string): void {
  const directory = openNamedDirectory(path);
  try {
    const probe = `.write-probe-${process.pid}-${Date.now()}`;
    try {
      closeSync(directory.openAppend(probe));
    } catch (error) {
      throw new LogDirectoryError(directory.path, error);
    }
    directory.remove(probe);
  } finally {
    directory.close();
  }
}
