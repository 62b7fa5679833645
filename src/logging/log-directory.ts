/**
 * Log directories opened once and then written only through their file descriptor, so that
 * nobody who can write to a log root or a session directory can redirect a log.
 *
 * Node has no openat(2); on Linux a file is opened as `/proc/self/fd/<dirfd>/<name>`, which the
 * kernel resolves relative to the directory the descriptor holds, whatever happened to its path
 * since. Every file is opened with O_NOFOLLOW (a planted symlink is refused, never followed) and,
 * when it must be new, O_CREAT|O_EXCL; files written whole (summary.json, plan.json) go to a new
 * temporary file renamed over the name, which replaces a planted symlink instead of following it.
 * Where /proc/self/fd is missing, the same opens are made by path (O_NOFOLLOW still guards the
 * last component). A reused file must be a regular file of ours with one link.
 */
import { close, closeSync, constants, existsSync, fchmodSync, fstat, fstatSync, mkdirSync, open, openSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LogDirectoryError, LogWriteError } from '../errors';
import { checkTrustedDirectory, ownUid } from './trusted-directory';

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW, O_DIRECTORY } = constants;

let procFd: boolean | undefined;
/** Whether paths through /proc/self/fd reach a descriptor's directory here. */
function hasProcFd(): boolean {
  procFd ??= existsSync('/proc/self/fd');
  return procFd;
}

/** Writes all of `data` to `fd` (writeSync may write less than asked). */
export function writeAll(fd: number, data: string | Buffer): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

export class LogDirectory {
  private fd: number | undefined;
  /** Names this object created: only these may be opened again without O_EXCL in a fresh directory. */
  private readonly created = new Set<string>();
  /** Opens under way (`openAppendAsync`), by name: a second open of a name waits for the first. */
  private readonly opening = new Map<string, Promise<number>>();

  private constructor(
    /** The directory's path when it was opened (shown in messages; never used to open files when /proc is there). */
    readonly path: string,
    fd: number,
    /** True when this host created the directory: every file in it must then be new. */
    readonly fresh: boolean,
  ) {
    this.fd = fd;
  }

  /**
   * Opens an existing directory that is reused (a log root, a `logDir`): it must be a directory
   * owned by us (or root), not writable by group or others unless sticky. `followLink` allows the
   * path itself to be a symbolic link (a log root may be one; a directory logs go into may not).
   */
  static openExisting(path: string, options: { followLink: boolean }): LogDirectory {
    let fd: number;
    try {
      fd = openSync(path, O_RDONLY | O_DIRECTORY | (options.followLink ? 0 : O_NOFOLLOW));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new LogDirectoryError(path, 'it is a symbolic link (refused: logs are never written through one)');
      throw new LogDirectoryError(path, error);
    }
    try {
      checkTrustedDirectory(path, fstatSync(fd));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new LogDirectory(path, fd, false);
  }

  /** Where `name` is reached through this directory's descriptor. */
  pathFor(name: string): string {
    if (this.fd === undefined) throw new Error(`the log directory ${this.path} is closed`);
    return hasProcFd() ? `/proc/self/fd/${this.fd}/${name}` : join(this.path, name);
  }

  /** The file's path for messages. */
  display(name: string): string {
    return join(this.path, name);
  }

  /**
   * Creates `name` as a new 0700 directory here and opens it (fails if anything is there already).
   */
  createChild(name: string): LogDirectory {
    const path = join(this.path, name);
    try {
      // mkdirSync without `recursive` on the last component: EEXIST if anything is there.
      mkdirSync(this.pathFor(name), { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new LogDirectoryError(path, 'it already exists (a session directory is always created new; choose another directory or remove it)');
      }
      throw new LogDirectoryError(path, error);
    }
    let fd: number;
    try {
      fd = openSync(this.pathFor(name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    } catch (error) {
      throw new LogDirectoryError(path, error);
    }
    const stats = fstatSync(fd);
    if (stats.uid !== ownUid()) {
      closeSync(fd);
      throw new LogDirectoryError(path, `it was replaced by a directory owned by uid ${stats.uid}`);
    }
    // The mode asked of mkdir is reduced by the umask; set it exactly.
    fchmodSync(fd, 0o700);
    return new LogDirectory(path, fd, true);
  }

  /**
   * Opens `name` for appending. In a fresh directory a file is created new (O_EXCL) the first
   * time and reopened afterwards; in a reused one it is created or appended to. Never follows a
   * symlink; a reused file must be a regular file of ours with one link. Throws a `LogWriteError`.
   */
  openAppend(name: string): number {
    const mustBeNew = this.fresh && !this.created.has(name);
    const fd = this.openFile(name, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | (mustBeNew ? O_EXCL : 0));
    this.created.add(name);
    return fd;
  }

  /**
   * `openAppend` off the main thread: the same flags and checks, made by libuv's thread pool
   * (creating a file costs a journaled disk operation that would otherwise stall the event
   * loop). The directory must stay open until the Promise settles. Rejects with a `LogWriteError`.
   */
  openAppendAsync(name: string): Promise<number> {
    const before = this.opening.get(name);
    const opened = (before ? before.then(settle, settle) : Promise.resolve()).then(() => {
      const mustBeNew = this.fresh && !this.created.has(name);
      return this.openFileAsync(name, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | (mustBeNew ? O_EXCL : 0));
    });
    this.opening.set(name, opened);
    const forget = (): void => {
      if (this.opening.get(name) === opened) this.opening.delete(name);
    };
    opened.then(() => {
      this.created.add(name);
      forget();
    }, forget);
    return opened;
  }

  /** Replaces `name` with `data`: written to a new temporary file, then renamed over it. */
  replaceFile(name: string, data: string): void {
    const temporary = `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    const fd = this.openFile(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, name);
    try {
      writeAll(fd, data);
      closeSync(fd);
      renameSync(this.pathFor(temporary), this.pathFor(name));
    } catch (error) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      try {
        unlinkSync(this.pathFor(temporary));
      } catch {
        // never created or already gone
      }
      throw new LogWriteError(this.display(name), error);
    }
    this.created.add(name);
  }

  /** Removes `name` (a probe file); errors are ignored. */
  remove(name: string): void {
    try {
      unlinkSync(this.pathFor(name));
    } catch {
      // gone already
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  get closed(): boolean {
    return this.fd === undefined;
  }

  /** `openFile` through the thread pool. */
  private openFileAsync(name: string, flags: number): Promise<number> {
    return new Promise<number>((resolveOpen, rejectOpen) => {
      const failed = (error: unknown): void => rejectOpen(error instanceof LogWriteError ? error : new LogWriteError(this.display(name), error));
      let path: string;
      try {
        path = this.pathFor(name);
      } catch (error) {
        failed(error);
        return;
      }
      open(path, flags, 0o600, (openError, fd) => {
        if (openError) return failed(openError);
        // Created new by this open (O_EXCL): a regular file of ours with one link, nothing to check.
        if ((flags & O_EXCL) !== 0) return resolveOpen(fd);
        fstat(fd, (statError, stats) => {
          const problem = statError ?? refusal(stats);
          if (problem === undefined) return resolveOpen(fd);
          close(fd, () => failed(typeof problem === 'string' ? `${problem} (refused: a log is only written to a file of its own)` : problem));
        });
      });
    });
  }

  private openFile(name: string, flags: number, shownAs = name): number {
    let fd: number;
    try {
      fd = openSync(this.pathFor(name), flags, 0o600);
    } catch (error) {
      throw new LogWriteError(this.display(shownAs), error);
    }
    let stats: Stats;
    try {
      stats = fstatSync(fd);
    } catch (error) {
      closeSync(fd);
      throw new LogWriteError(this.display(shownAs), error);
    }
    const problem = refusal(stats);
    if (problem) {
      closeSync(fd);
      throw new LogWriteError(this.display(shownAs), `${problem} (refused: a log is only written to a file of its own)`);
    }
    return fd;
  }
}

/** Nothing to wait for (a previous open's outcome is its own caller's). */
function settle(): void {}

/** Why an opened file may not be written as a log: not a regular file of ours with one link. */
function refusal(stats: Stats): string | undefined {
  if (!stats.isFile()) return 'it is not a regular file';
  if (stats.uid !== ownUid()) return `it belongs to uid ${stats.uid}`;
  if (stats.nlink !== 1) return `it has ${stats.nlink} hard links`;
  return undefined;
}
