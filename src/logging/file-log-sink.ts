/**
 * Process logs as files: one `<safe id>.log` per process in a directory, in winston's line format
 * (`<ISO time> <LEVEL> <message>`) but written by a plain block writer (`block-file.ts`): one
 * file opened once, its lines written in blocks, closed without a stream or a logger object per
 * process. The session's own log (session.log) is a winston logger (`winston-file.ts`).
 * A log holds a header (id, command, working directory, prompt), every output line marked
 * `stdout |` or `stderr |`, and how the run ended.
 *
 * Secrets are redacted first, before anything is quoted, escaped or cut: output through a
 * `RedactingStream` (a secret split across reads or across the pieces of a long line is found),
 * every structural line (id, command, working directory, error) before it is made one line. In
 * structural lines every control character is escaped (`\x1b`, `\r`): only output lines hold
 * what the child wrote.
 */
import { join, resolve } from 'node:path';
import type { ProcessLogSink, RunLog, RunLogHeader } from './log-sink';
import type { OutputStream, ProcessResult } from '../process/types';
import { attemptsOf } from '../operators/retried-result';
import { LogWriteError } from '../errors';
import type { OutputGate } from '../process/buffer/output-gate';
import { LogDirectory } from './log-directory';
import { openNamedDirectory, prepareLogDirectory } from './open-log-directory';
import { createRedactor, REDACTED, secretValues, type Redactor } from './redact';
import { RedactingStream } from './redacting-stream';
import { registryFor } from './safe-file-name';
import { escapeControls, hasControls } from '../output/inert';
import { linePrefix } from './winston-file';
import { BlockFile } from './block-file';

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
 * Quotes an argument for display only (nothing is ever run through a shell): plain words as they
 * are, others in single quotes, and one holding a control character in bash's `$'...'` quoting
 * with every control escaped (`$'a\nb\x1b'`), so an argument can neither start a forged line nor
 * drive a terminal. Redact before quoting: a quoted secret no longer matches.
 */
export function displayArg(arg: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(arg)) return arg;
  if (!hasControls(arg)) return `'${arg.replace(/'/g, `'\\''`)}'`;
  return `$'${escapeControls(arg.replace(/[\\']/g, '\\$&'))}'`;
}

/** A command line for display: each argument redacted, then quoted; the whole redacted again (a secret spanning arguments). */
export function displayCommand(command: string, args: readonly string[], redact: Redactor): string {
  return redact(
    [command, ...args]
      .map((arg) => {
        const shown = redact(arg);
        return shown === REDACTED ? shown : displayArg(shown);
      })
      .join(' '),
  );
}

/**
 * Escapes line breaks and every other control character, so that a message is one log entry
 * whatever an id, a command or an error holds, and shows nothing but visible characters.
 */
export function oneLine(text: string): string {
  return escapeControls(text);
}

/** A text in double quotes, `\` and `"` escaped, every control escaped (`"a\x1bb"`). */
export function quoted(text: string): string {
  return `"${escapeControls(text.replace(/["\\]/g, '\\$&'))}"`;
}

/**
 * A redactor that changes nothing but tells, as `redact` does, where a text may be cut without
 * splitting a secret: a `RedactingStream` over it cuts output as one over `redact` would, and the
 * pieces are redacted later, when the log file writes them (`BlockFile.appendLines`).
 */
function uncutSecrets(redact: Redactor): Redactor {
  const same = (text: string): string => text;
  return redact.openTail ? Object.assign(same, { openTail: redact.openTail }) : same;
}

export function describeResult(result: ProcessResult | undefined): string {
  if (!result) return 'abandoned: the subscriber unsubscribed; the process group was stopped';
  const status = result.exitCode === 0 ? 'succeeded' : 'failed';
  const detail = result.error ? `: ${result.error}` : '';
  const attempts = attemptsOf(result) ?? [];
  const tries = attempts.length > 1 ? `, after ${attempts.length} attempts` : '';
  return `${status} (${result.reason}), exit code ${result.exitCode}, ${result.duration.toFixed(3)} s${tries}${detail}`;
}

/** One line per attempt of a retried run (`retry`), oldest first. */
export function describeAttempts(result: ProcessResult | undefined): string[] {
  const attempts = result ? attemptsOf(result) ?? [] : [];
  if (attempts.length < 2) return [];
  return attempts.map((a) => {
    const waited = a.delayBeforeMs > 0 ? ` after waiting ${a.delayBeforeMs / 1000} s` : '';
    const how = a.exitCode === 0 ? 'succeeded' : `failed (${a.reason})`;
    return `attempt ${a.attempt}${waited}: ${how}, exit code ${a.exitCode}, ${(a.durationMs / 1000).toFixed(3)} s${a.error ? `: ${a.error}` : ''}`;
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
  // Opened in the thread pool (creating a file is a journaled disk operation): lines wait meanwhile.
  const openLog = (name: string): Promise<number> => {
    if (typeof directory !== 'string') return directory.openAppendAsync(name);
    // A path: the directory is opened (and checked) again for each file, closed once the file is open.
    const opened = openNamedDirectory(directory);
    const fd = opened.openAppendAsync(name);
    fd.then(() => opened.close(), () => opened.close());
    return fd;
  };
  // Built once per sink; a process with secrets of its own gets a redactor of its own.
  const hostRedact = createRedactor(hostSecrets);
  const known = new Set(hostSecrets);
  return {
    open(header: RunLogHeader): RunLog {
      const own = header.secrets?.filter((secret) => !known.has(secret)) ?? [];
      const redact = own.length > 0 ? createRedactor([...hostSecrets, ...own]) : hostRedact;
      // A key-shaped id names its file by its redacted form (the registry still keeps ids apart).
      const shownId = redact(header.processId);
      const name = `${names.nameFor(header.processId, shownId)}.log`;
      const file = join(dirPath, name);
      let fd: Promise<number>;
      try {
        fd = openLog(name);
      } catch (error) {
        options.onWriteError?.(error instanceof LogWriteError ? error : new LogWriteError(file, error));
        return unopenedLog((result) => options.onRunEnd?.(header, result, file));
      }
      const file$ = new BlockFile({ fd, path: file, gate: options.outputGate, onError: options.onWriteError });
      // One entry: its time and level, then the message (already one line).
      const entry = (level: string, message: string): void => file$.append(`${linePrefix(level)}${message}\n`);
      const headerAt = new Date();
      const header$ = [`process ${quoted(shownId)}`, `command: ${displayCommand(header.command, header.args, redact)}`, `cwd: ${oneLine(redact(header.cwd))}${header.terminal ? ' (terminal mode)' : ''}`];
      if (header.delivery) header$.push(`input: ${header.delivery}`);
      // The prompt one entry per line, each marked, like the output: no line can pose as another kind.
      if (header.prompt !== undefined) for (const line of redact(header.prompt).split('\n')) header$.push(`prompt | ${escapeControls(line, { keepTab: true })}`);
      const infoPrefix = linePrefix('info', headerAt);
      file$.append(`${infoPrefix}${header$.join(`\n${infoPrefix}`)}\n`);
      // The streams cut output where no secret is split; the file redacts each piece when it
      // writes it, as one block (before any cut), then marks each line with its time, level and
      // stream. (Per line, a secret could never match across a line break; as a block it can,
      // which only redacts more.)
      const cutter = uncutSecrets(redact);
      const splitters: Record<OutputStream, RedactingStream> = { stdout: new RedactingStream(cutter), stderr: new RedactingStream(cutter) };
      const writeLines = (stream: OutputStream, text: string): void => {
        const level = stream === 'stderr' ? 'warn' : 'info';
        file$.appendLines(text, `${linePrefix(level)}${stream} | `, redact);
      };
      return {
        record(event) {
          if (event.type === 'output') writeLines(event.stream, splitters[event.stream].push(event.chunk));
          else if (event.type === 'start' && event.attempt !== undefined && event.attempt > 1) {
            // A retry: the previous attempt's unfinished lines end here, then the new attempt starts.
            writeLines('stdout', splitters.stdout.flush());
            writeLines('stderr', splitters.stderr.flush());
            entry('warn', `retrying: attempt ${event.attempt} started, pid ${event.pid}`);
          } else if (event.type === 'start') entry('info', `started, pid ${event.pid}${event.attempt ? ` (attempt ${event.attempt})` : ''}`);
          else if (event.type === 'restart') {
            // A remote run taken over by another worker (issue 14): the lost start's unfinished lines end here.
            writeLines('stdout', splitters.stdout.flush());
            writeLines('stderr', splitters.stderr.flush());
            entry('warn', `restarted on worker ${oneLine(redact(event.workerId))} (was ${oneLine(redact(event.previousWorkerId))}), start ${event.attempt}`);
          } else if (event.type === 'agent' && typeof event.description === 'string') {
            // Agent events (Claude: tool uses, retries, the result) by the line their adapter wrote; the text is already the output.
            entry('info', `${oneLine(redact(event.agent))} | ${oneLine(redact(event.description))}`);
          }
        },
        async close(result) {
          writeLines('stdout', splitters.stdout.flush());
          writeLines('stderr', splitters.stderr.flush());
          for (const line of describeAttempts(result)) entry('info', oneLine(redact(line)));
          entry(result?.exitCode === 0 ? 'info' : 'error', `ended: ${oneLine(redact(describeResult(result)))}`);
          await file$.close();
          options.onRunEnd?.(header, result, file);
        },
      };
    },
  };
}
