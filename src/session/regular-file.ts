/**
 * Reading a file that must be a plain file (a plan, a job log, a process record) without ever
 * blocking: opened with O_NONBLOCK and O_NOFOLLOW, then checked with fstat. A FIFO put in its
 * place would block a plain read forever (and with it the event loop, so no signal handler could
 * run); a symbolic link could point anywhere. Both are refused at once with a clear error.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';

/** What a non-regular file is, for the error message. */
function kind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError';
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path} is ${what}, not a regular file; refusing to read it`);
  }
}

/**
 * The UTF-8 text of `path`, which must be a regular file. Throws a `NotRegularFileError` for a
 * FIFO, device, socket, directory or symbolic link; other errors (ENOENT, EACCES) as they come.
 */
export function readRegularFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new NotRegularFileError(path, 'a symbolic link');
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new NotRegularFileError(path, kind(stats));
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
