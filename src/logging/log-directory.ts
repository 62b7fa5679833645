/**
 * Creates a log directory (mode 0700) and proves it writable by writing a probe file, so that
 * an unwritable directory is one clear `LogDirectoryError` before anything runs.
 */
import { closeSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { LogDirectoryError } from '../errors';

export function ensureLogDirectory(directory: string): void {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const probe = join(directory, `.write-probe-${process.pid}-${Date.now()}`);
    closeSync(openSync(probe, 'wx', 0o600));
    unlinkSync(probe);
  } catch (error) {
    throw new LogDirectoryError(directory, error);
  }
}
