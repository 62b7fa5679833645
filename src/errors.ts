import { types } from 'node:util';

/**
 * Typed errors. Each has a fixed `name` and keeps its cause. A process that fails is a result,
 * not an error: these are for problems the caller must fix.
 */

/** The log directory cannot be created, trusted or written. */
export class LogDirectoryError extends Error {
  override readonly name = 'LogDirectoryError';
  constructor(
    readonly directory: string,
    /** Why: an error (its message is shown, and it is kept as the cause) or a sentence. */
    reason: unknown,
    cause: unknown = reason,
  ) {
    super(`cannot write logs to ${directory}: ${types.isNativeError(reason) ? reason.message : String(reason)}`, { cause });
  }
}

/** Plain words for the errors a log write meets most (the code is shown too). */
const WRITE_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'it is a symbolic link (refused: logs are never written through one)',
  EEXIST: 'it already exists (refused: this log must be a new file)',
  EISDIR: 'it is a directory',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
};

/**
 * A log file (a process log, session.log, joblog.tsv, summary.json, plan.json) could not be
 * opened or written. `file` names it; the message says why in plain words, e.g.
 * `cannot write /logs/s/build.log: no space left on device (ENOSPC)`.
 */
export class LogWriteError extends Error {
  override readonly name = 'LogWriteError';
  /** The errno code (`ENOSPC`, `ELOOP`, ...) when there is one. */
  readonly code: string | undefined;
  /** Why, without the file name. */
  readonly reason: string;
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const code = types.isNativeError(cause) ? (cause as NodeJS.ErrnoException).code : undefined;
    const reason = code && WRITE_REASONS[code] ? `${WRITE_REASONS[code]} (${code})` : types.isNativeError(cause) ? cause.message : String(cause);
    super(`cannot write ${file}: ${reason}`, { cause });
    this.code = code;
    this.reason = reason;
  }
}

/** A strategy was given nothing to run where it needs at least one process. */
export class EmptyProcessListError extends Error {
  override readonly name = 'EmptyProcessListError';
  constructor(strategy: string) {
    super(`${strategy} needs at least one process, received an empty list`);
  }
}

/** Earlier work cannot be resumed: a plan or job log is missing or unreadable, or a process was not stored. */
export class ResumeError extends Error {
  override readonly name = 'ResumeError';
  constructor(
    /** The session directory being resumed, when known. */
    readonly sessionDir: string | null,
    reason: string,
    cause?: unknown,
  ) {
    super(sessionDir === null ? `cannot resume: ${reason}` : `cannot resume ${sessionDir}: ${reason}`, cause === undefined ? undefined : { cause });
  }
}
