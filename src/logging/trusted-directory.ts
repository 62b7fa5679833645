/**
 * Which existing directories logs may go into, and creating the missing ones on the way.
 *
 * A reused directory (a log root, a `logDir`) must be ours (or root's) and not writable by group
 * or others, unless it has the sticky bit (as /tmp does): otherwise whoever else can write to it
 * could swap a session directory or a log file for a symlink. Missing directories are created one
 * component at a time (0700), never with Node's recursive mkdir, which spins forever on paths such
 * as /proc/x where mkdir fails with ENOENT under an existing parent.
 */
import { mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LogDirectoryError } from '../errors';

const STICKY = 0o1000;
const GROUP_OR_OTHER_WRITE = 0o022;

/** The uid files must belong to (ours; root on platforms without uids). */
export function ownUid(): number {
  return process.getuid?.() ?? 0;
}

/** Throws a `LogDirectoryError` unless `stats` is a directory we may trust at `path`. */
export function checkTrustedDirectory(path: string, stats: Stats): void {
  if (!stats.isDirectory()) throw new LogDirectoryError(path, 'it is not a directory');
  const uid = ownUid();
  if (stats.uid !== uid && stats.uid !== 0) {
    throw new LogDirectoryError(path, `it belongs to uid ${stats.uid}, not to this user (uid ${uid}) or root; use a directory of your own`);
  }
  const mode = stats.mode & 0o7777;
  if ((mode & GROUP_OR_OTHER_WRITE) !== 0 && (mode & STICKY) === 0) {
    const who = (mode & 0o002) !== 0 ? 'others' : 'its group';
    throw new LogDirectoryError(
      path,
      `it is writable by ${who} without the sticky bit (mode ${mode.toString(8).padStart(4, '0')}), so they could swap a log for a symlink; ` +
        `run 'chmod go-w ${path}' (or 'chmod +t ${path}' for a shared directory), or choose another directory`,
    );
  }
}

/**
 * Creates `path` and any missing parent, each 0700, one component at a time; a component that
 * exists must be a directory. Fails at once (no retry loop) with a `LogDirectoryError` naming
 * the component that could not be created.
 */
export function makeDirectoryChain(path: string, label = path): void {
  const target = resolve(path);
  const chain: string[] = [];
  for (let dir = target; ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    let stats: Stats | undefined;
    try {
      stats = statSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new LogDirectoryError(label, `cannot use ${dir}: ${(error as Error).message}`, error);
    }
    if (stats) {
      if (!stats.isDirectory()) throw new LogDirectoryError(label, `${dir} exists and is not a directory (ENOTDIR)`);
      continue;
    }
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Created meanwhile by someone else: fine if it is a directory.
      if (code === 'EEXIST' && statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw new LogDirectoryError(label, `cannot create directory ${dir}: ${(error as Error).message}`, error);
    }
  }
}
