/**
 * The job log: `joblog.tsv` in a session directory, one line per finished process, like GNU
 * parallel's `--joblog`. Tab-separated with a header line:
 *
 *     id  start  duration  exit_code  signal  attempts  reason  command
 *
 * `start` is an ISO 8601 UTC time, `duration` seconds with three decimals, `signal` a name or `-`,
 * `attempts` how many tries the result took (1 without retries). In every field a backslash, tab,
 * newline and carriage return are written `\\`, `\t`, `\n`, `\r`, and every other control, bidi
 * or line-separator character `\xNN` or `\uNNNN` (ESC is `\x1b`), so a line is always one job and
 * `cat joblog.tsv` cannot drive a terminal; `readJobLog` turns them back. The id and the command
 * are redacted first (the command shown shell-quoted: it was never run through a shell), then the
 * command is cut after 1000 characters. The file is 0600.
 */
import { closeSync, existsSync, fstatSync } from 'node:fs';
import { readRegularFile } from './regular-file';
import { join } from 'node:path';
import { LogWriteError, ResumeError } from '../errors';
import { writeAll, type LogDirectory } from '../logging/log-directory';
import { escapeControls } from '../output/inert';
import type { EndReason, ProcessResult } from '../process/types';
import { attemptsOf } from '../operators/retried-result';
import { cutAtCodePoint } from '../process/text/code-point-cut';

export const JOB_LOG_FILE = 'joblog.tsv';
const COLUMNS = ['id', 'start', 'duration', 'exit_code', 'signal', 'attempts', 'reason', 'command'] as const;
const MAX_COMMAND = 1000;

/** One line of a job log. */
export interface JobLogEntry {
  readonly processId: string;
  /** When the (first attempt of the) process started, ms since the epoch. */
  readonly start: number;
  /** Seconds. */
  readonly duration: number;
  readonly exitCode: number;
  readonly signal: string | null;
  readonly attempts: number;
  readonly reason: EndReason;
  /** The command line as displayed (redacted, possibly shortened). */
  readonly command: string;
}

/** A TSV field on one inert line: `\\`, `\t`, `\n`, `\r`, and `\xNN`/`\uNNNN` for every other control, bidi or separator character. */
export function escapeField(text: string): string {
  return escapeControls(text.replaceAll('\\', '\\\\'));
}

/** The field `escapeField` wrote, as it was. */
export function unescapeField(text: string): string {
  return text.replace(/\\(?:([\\tnr])|x([0-9a-f]{2})|u([0-9a-f]{4}))/g, (_, c: string | undefined, x: string | undefined, u: string | undefined) =>
    c !== undefined ? ({ '\\': '\\', t: '\t', n: '\n', r: '\r' })[c] ?? c : String.fromCharCode(parseInt(x ?? u ?? '0', 16)),
  );
}

/** The job-log entry for a result; `command` is the displayed, redacted command line. */
export function jobLogEntry(result: ProcessResult, command: string): JobLogEntry {
  const attempts = attemptsOf(result);
  const first = attempts?.[0];
  return {
    processId: result.processId,
    start: first?.startedAt ?? result.startedAt,
    duration: result.duration,
    exitCode: result.exitCode,
    signal: result.signal,
    attempts: attempts?.length ?? 1,
    reason: result.reason,
    command: command.length > MAX_COMMAND ? `${cutAtCodePoint(command, MAX_COMMAND)}...[${command.length - MAX_COMMAND} more characters]` : command,
  };
}

/** One TSV line (with its newline). */
export function formatJobLogLine(entry: JobLogEntry): string {
  const fields = [
    entry.processId,
    new Date(entry.start).toISOString(),
    entry.duration.toFixed(3),
    String(entry.exitCode),
    entry.signal ?? '-',
    String(entry.attempts),
    entry.reason,
    entry.command,
  ];
  return `${fields.map(escapeField).join('\t')}\n`;
}

/**
 * A session's `joblog.tsv`, written through one descriptor: created new (O_EXCL, never through
 * a symlink) with its header at the first entry, then appended to. The first error is reported
 * once to `onError`; later entries are then dropped (the job log is incomplete).
 */
export class JobLogFile {
  private fd: number | undefined;
  private failed = false;

  constructor(
    private readonly directory: LogDirectory,
    private readonly onError: (error: LogWriteError) => void,
  ) {}

  append(entry: JobLogEntry): void {
    if (this.failed) return;
    try {
      if (this.fd === undefined) {
        this.fd = this.directory.openAppend(JOB_LOG_FILE);
        if (fstatSync(this.fd).size === 0) writeAll(this.fd, `${COLUMNS.join('\t')}\n`);
      }
      writeAll(this.fd, formatJobLogLine(entry));
    } catch (error) {
      this.failed = true;
      this.onError(error instanceof LogWriteError ? error : new LogWriteError(this.directory.display(JOB_LOG_FILE), error));
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * The entries of a session's job log, in the order they were written; `[]` when the session
 * finished no process. Throws a `ResumeError` for a file that is not a job log.
 *
 * @example
 * ```ts
 * import { readJobLog } from 'rx-orchestration/toolkit';
 * for (const job of readJobLog('.claude/runtime/logs/cli-parallel_20250101-120000_abcd1234')) {
 *   console.log(job.processId, job.exitCode, job.duration);
 * }
 * ```
 */
export function readJobLog(sessionDir: string): JobLogEntry[] {
  const path = join(sessionDir, JOB_LOG_FILE);
  if (!existsSync(path)) return [];
  let text: string;
  try {
    text = readRegularFile(path); // never a FIFO (a plain read would block for good)
  } catch (error) {
    throw new ResumeError(sessionDir, (error as Error).message, error);
  }
  const [header, ...lines] = text.split('\n');
  if (header !== COLUMNS.join('\t')) throw new ResumeError(sessionDir, `${path} is not a job log: its header is ${JSON.stringify(header)}`);
  return lines
    .filter((line) => line !== '')
    .map((line, index) => {
      const fields = line.split('\t').map(unescapeField);
      const start = Date.parse(fields[1] ?? '');
      if (fields.length !== COLUMNS.length || Number.isNaN(start)) throw new ResumeError(sessionDir, `${path}: line ${index + 2} is not a job-log line`);
      return {
        processId: fields[0],
        start,
        duration: Number(fields[2]),
        exitCode: Number(fields[3]),
        signal: fields[4] === '-' ? null : fields[4],
        attempts: Number(fields[5]),
        reason: fields[6] as EndReason,
        command: fields[7],
      };
    });
}
