/**
 * Process logs as files: one `<safe id>.log` per process in a directory, written with winston.
 * A log holds a header (id, command, working directory, prompt), every output line marked
 * `stdout |` or `stderr |`, and how the run ended. Secrets are redacted.
 */
import { join, resolve } from 'node:path';
import { describeClaudeEvent } from '../claude/describe-event';
import type { ProcessLogSink, RunLog, RunLogHeader } from '../process/log-sink';
import type { OutputStream, ProcessResult } from '../process/types';
import { LogWriteError } from '../errors';
import type { OutputGate } from '../process/output-gate';
import { LogDirectory } from './log-directory';
import { openNamedDirectory, prepareLogDirectory } from './open-log-directory';
import { createRedactor, secretValues } from './redact';
import { registryFor } from './safe-file-name';
import { LineBlocks } from '../process/line-blocks';
import { createFileLogger, linePrefix } from './winston-file';

export interface FileLogSinkOptions {
  /** Called when a run's log is complete (the session records the run in its own log). */
  readonly onRunEnd?: (header: RunLogHeader, result: ProcessResult | undefined, file: string) => void;
  /** Further secrets to redact besides the host environment's. */
  readonly secrets?: readonly string[];
  /**
   * Called once per log file that cannot be opened or written (a planted symlink, a full disk):
   * the run goes on, its log is incomplete. @default ignored
   */
  readonly onWriteError?: (error: LogWriteError) => void;
  /** Held closed while a log file cannot keep up, so that children pause. @default none */
  readonly outputGate?: OutputGate;
}

/** A run whose log file could not be opened: nothing is written, the end is still reported. */
function unopenedLog(onEnd: (result: ProcessResult | undefined) => void): RunLog {
  return {
    record: () => undefined,
    close: async (result) => onEnd(result),
  };
}

/**
 * Quotes an argument for display only (nothing is ever run through a shell). Control characters
 * are escaped, so an argument cannot start a new, forged line in the log.
 */
export function displayArg(arg: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(arg)) return arg;
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f]/.test(arg)) return `'${arg.replace(/'/g, `'\\''`)}'`;
  return JSON.stringify(arg);
}

/** Escapes line breaks, so that a message is one log entry whatever an id, a command or an error holds. */
export function oneLine(text: string): string {
  return text.replace(/[\n\r]/g, (c) => (c === '\n' ? '\\n' : '\\r'));
}

export function describeResult(result: ProcessResult | undefined): string {
  if (!result) return 'abandoned: the subscriber unsubscribed; the process group was stopped';
  const status = result.exitCode === 0 ? 'succeeded' : 'failed';
  const detail = result.error ? `: ${result.error}` : '';
  const tries = result.attempts && result.attempts.length > 1 ? `, after ${result.attempts.length} attempts` : '';
  return `${status} (${result.reason}), exit code ${result.exitCode}, ${result.duration.toFixed(3)} s${tries}${detail}`;
}

/** One line per attempt of a retried run (`retry`), oldest first. */
export function describeAttempts(result: ProcessResult | undefined): string[] {
  if (!result?.attempts || result.attempts.length < 2) return [];
  return result.attempts.map((a) => {
    const waited = a.delayBefore > 0 ? ` after waiting ${a.delayBefore} s` : '';
    const how = a.exitCode === 0 ? 'succeeded' : `failed (${a.reason})`;
    return `attempt ${a.attempt}${waited}: ${how}, exit code ${a.exitCode}, ${a.duration.toFixed(3)} s${a.error ? `: ${a.error}` : ''}`;
  });
}

/**
 * A sink writing one `<safe id>.log` per process into `directory`: a path (created 0700 if
 * missing; an existing one must be a real directory we trust) or an opened `LogDirectory` (a
 * session's). Files are opened without following symlinks (see LogDirectory).
 */
export function fileLogSink(directory: string | LogDirectory, options: FileLogSinkOptions = {}): ProcessLogSink {
  if (typeof directory === 'string') prepareLogDirectory(directory);
  const dirPath = typeof directory === 'string' ? resolve(directory) : directory.path;
  const names = registryFor(dirPath);
  const hostSecrets = [...secretValues(process.env), ...(options.secrets ?? [])];
  const openLog = (name: string): number => {
    if (typeof directory !== 'string') return directory.openAppend(name);
    const opened = openNamedDirectory(directory);
    try {
      return opened.openAppend(name);
    } finally {
      opened.close();
    }
  };
  return {
    open(header: RunLogHeader): RunLog {
      const file = join(dirPath, `${names.nameFor(header.processId)}.log`);
      let fd: number;
      try {
        fd = openLog(`${names.nameFor(header.processId)}.log`);
      } catch (error) {
        options.onWriteError?.(error instanceof LogWriteError ? error : new LogWriteError(file, error));
        return unopenedLog((result) => options.onRunEnd?.(header, result, file));
      }
      const redact = createRedactor([...hostSecrets, ...(header.secrets ?? [])]);
      const { logger, block, close } = createFileLogger({ fd, path: file, gate: options.outputGate, onError: options.onWriteError });
      logger.info(`process ${JSON.stringify(header.processId)}`);
      logger.info(`command: ${redact([header.command, ...header.args].map(displayArg).join(' '))}`);
      logger.info(`cwd: ${oneLine(header.cwd)}${header.terminal ? ' (terminal mode)' : ''}`);
      if (header.delivery) logger.info(`input: ${header.delivery}`);
      // The prompt one entry per line, each marked, like the output: no line can pose as another kind.
      if (header.prompt !== undefined) for (const line of redact(header.prompt).split('\n')) logger.info(`prompt | ${line}`);
      const splitters: Record<OutputStream, LineBlocks> = { stdout: new LineBlocks(), stderr: new LineBlocks() };
      // The lines a chunk completes go out as one entry: redacted as one block, then each marked
      // with its time, level and stream. (Per line, a secret could never match across a line
      // break; as a block it can, which only redacts more.)
      const writeLines = (stream: OutputStream, lines: string | undefined): void => {
        if (lines === undefined) return;
        const level = stream === 'stderr' ? 'warn' : 'info';
        const prefix = `${linePrefix(level)}${stream} | `;
        block(level, prefix + redact(lines).replaceAll('\n', `\n${prefix}`));
      };
      return {
        record(event) {
          if (event.type === 'output') writeLines(event.stream, splitters[event.stream].push(event.chunk));
          else if (event.type === 'start' && event.attempt !== undefined && event.attempt > 1) {
            // A retry: the previous attempt's unfinished lines end here, then the new attempt starts.
            writeLines('stdout', splitters.stdout.flush());
            writeLines('stderr', splitters.stderr.flush());
            logger.warn(`retrying: attempt ${event.attempt} started, pid ${event.pid}`);
          } else if (event.type === 'start') logger.info(`started, pid ${event.pid}${event.attempt ? ` (attempt ${event.attempt})` : ''}`);
          else if (event.type === 'claude') {
            // Claude events (issue 3): tool uses, retries, the result; the text is already the output.
            const line = describeClaudeEvent(event.event);
            if (line) logger.info(`claude | ${redact(oneLine(line))}`);
          }
        },
        async close(result) {
          writeLines('stdout', splitters.stdout.flush());
          writeLines('stderr', splitters.stderr.flush());
          for (const line of describeAttempts(result)) logger.log('info', redact(oneLine(line)));
          logger.log(result?.exitCode === 0 ? 'info' : 'error', `ended: ${redact(oneLine(describeResult(result)))}`);
          await close();
          options.onRunEnd?.(header, result, file);
        },
      };
    },
  };
}
