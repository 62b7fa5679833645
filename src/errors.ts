import { types } from 'node:util';

/**
 * Typed errors. Each has a fixed `name` and keeps its cause. A process that fails is a result,
 * not an error: these are for problems the caller must fix.
 */

/** The log directory cannot be created or written. */
export class LogDirectoryError extends Error {
  override readonly name = 'LogDirectoryError';
  constructor(
    readonly directory: string,
    cause: unknown,
  ) {
    const reason = types.isNativeError(cause) ? cause.message : String(cause);
    super(`cannot write logs to ${directory}: ${reason}`, { cause });
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
