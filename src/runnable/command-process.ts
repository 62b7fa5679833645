/**
 * A process for any program: a cold Observable of its events, and a Promise of its result.
 */
import { basename } from 'node:path';
import { defer, filter, lastValueFrom, map, type Observable, type SchedulerLike } from 'rxjs';
import { defaults } from '../defaults';
import { fileLogSink } from '../logging/file-log-sink';
import { createRedactor, secretValues, type Redactor } from '../logging/redact';
import {
  checkBoolean,
  checkGrace,
  checkPositiveInteger,
  checkString,
  checkStringArray,
  checkTimeout,
  invalidOption,
  timeoutMs,
} from '../validate';
import { formatContext } from '../process/context';
import { logEvents, type ProcessLogSink } from '../logging/log-sink';
import { mirrorOutput } from '../operators/mirror-output';
import { OutputGate } from '../process/buffer/output-gate';
import { checkLimits, type ResourceLimits } from '../process/spawn/resource-limits';
import { retryEvents } from '../operators/retry';
import { checkRetryOptions, type RetryOptions } from '../operators/retry-options';
import { spawnEvents, type SpawnRequest } from '../process/spawn-events';
import type { ProcessEvent, ProcessResult, ResultEvent, RunOptions, Runnable } from '../process/types';

/** Options shared by every kind of process. */
export interface BaseProcessOptions {
  /** Names the process in events, results and logs. @default the command's file name */
  readonly processId?: string;
  /** Working directory. @default process.cwd() */
  readonly cwd?: string;
  /** Variables added to (or, with `extendEnv: false`, replacing) the host's environment. @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Start from the host's environment. @default true */
  readonly extendEnv?: boolean;
  /** Seconds before the process group is stopped and the result marked timed out; 0 means none. @default none */
  readonly timeout?: number;
  /** Seconds between SIGTERM and SIGKILL when stopping. @default 5 */
  readonly killGrace?: number;
  /** Seconds to wait for descendants holding the output open after the process exited. @default 1 */
  readonly exitGrace?: number;
  /** End whatever is left in the process group once the process exited. @default true */
  readonly killLeftovers?: boolean;
  /**
   * UTF-16 units (string `length`; an emoji counts 2) of each stream the result keeps; past it, the
   * last ones, never starting inside a character (`result.truncated` says so). @default 16777216 (16 Mi)
   */
  readonly maxBuffer?: number;
  /** Run in a pseudo-terminal (node-pty); stdout and stderr then arrive as one `stdout` stream. @default false */
  readonly terminal?: boolean | { readonly cols?: number; readonly rows?: number };
  /** Mirror output live to the host's stdout/stderr, each line prefixed with `[processId]`. @default false */
  readonly streamOutput?: boolean;
  /** Write a full log of every run to `<logDir>/<safe id>.log`. @default no log */
  readonly logDir?: string;
  /** Where to log runs (a session passes its own); takes precedence over `logDir`. @default none */
  readonly logSink?: ProcessLogSink;
  /** Memory, CPU-time and niceness limits enforced by the OS (`prlimit`, `nice`). @default none */
  readonly limits?: ResourceLimits;
  /**
   * Try a failed run again: `{ count, delay?, backoff?, maxDelay?, retryOn? }` (see `RetryOptions`).
   * Each attempt has the full timeout; every attempt goes to the same log; the result is the last
   * attempt's, with all of them in `result.attempts`. @default no retry
   */
  readonly retry?: RetryOptions;
  /**
   * Backpressure: while this gate is closed (a sink such as the terminal or a log file is full),
   * the child's output is not read and a child that keeps writing blocks. A session passes its
   * own. @default none: output is read as fast as it comes
   */
  readonly outputGate?: OutputGate;
  /** The clock of the timeout, the kill grace and the exit grace (tests pass a virtual one). @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

export interface CommandProcessOptions extends BaseProcessOptions {
  /** The program: a name looked up on PATH, or a path. Never run through a shell. */
  readonly command: string;
  /** Its arguments, passed as they are. @default [] */
  readonly args?: readonly string[];
  /** Bytes for its stdin. @default none: the child sees end-of-input at once */
  readonly input?: string | Buffer;
}

/** What one run executes: the program, its arguments and its stdin. */
export interface Invocation {
  readonly command: string;
  readonly args: readonly string[];
  readonly input?: string | Buffer;
  readonly prompt?: string;
  readonly delivery?: string;
}

export function checkBaseOptions(options: BaseProcessOptions): void {
  if (options.processId !== undefined) checkString('processId', options.processId, { allowEmpty: true });
  if (options.cwd !== undefined) checkString('cwd', options.cwd);
  checkTimeout('timeout', options.timeout);
  checkGrace('killGrace', options.killGrace);
  checkGrace('exitGrace', options.exitGrace);
  checkBoolean('extendEnv', options.extendEnv);
  checkBoolean('killLeftovers', options.killLeftovers);
  checkBoolean('streamOutput', options.streamOutput);
  if (options.maxBuffer !== undefined) checkPositiveInteger('maxBuffer', options.maxBuffer);
  if (options.logDir !== undefined) checkString('logDir', options.logDir);
  checkLimits(options.limits);
  if (options.outputGate !== undefined && !(options.outputGate instanceof OutputGate)) {
    throw invalidOption('outputGate', 'an OutputGate', options.outputGate);
  }
  if (options.retry !== undefined) checkRetryOptions('retry', options.retry);
  const terminal = options.terminal;
  if (terminal !== undefined && typeof terminal !== 'boolean' && (typeof terminal !== 'object' || terminal === null)) {
    throw invalidOption('terminal', 'a boolean or { cols, rows }', terminal);
  }
  if (typeof terminal === 'object') {
    // A terminal's size is two unsigned 16-bit numbers.
    for (const key of ['cols', 'rows'] as const) {
      const value = terminal[key];
      if (value !== undefined && checkPositiveInteger(`terminal.${key}`, value) > 65535) {
        throw invalidOption(`terminal.${key}`, 'at most 65535', value);
      }
    }
  }
}

/** The environment a child gets: the host's (unless `extendEnv: false`) plus `env`, minus `drop`. */
export function childEnvironment(options: BaseProcessOptions, drop: readonly string[] = []): Record<string, string> {
  const extra = options.env ?? {};
  // Nothing added or removed: the host's environment itself, read once, by spawn, as a plain
  // spawn loop would (copying it here first cost a millisecond per run under load).
  if (options.extendEnv !== false && drop.length === 0 && Object.keys(extra).length === 0) {
    return process.env as Record<string, string>;
  }
  // Read key by key: spreading `process.env` (a host object) costs twice as much, on every spawn.
  const env: Record<string, string> = {};
  if (options.extendEnv !== false) {
    const host = process.env;
    for (const key of Object.keys(host)) {
      const value = host[key];
      if (value !== undefined) env[key] = value;
    }
  }
  for (const key of Object.keys(extra)) {
    const value = extra[key];
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  for (const key of drop) delete env[key];
  return env;
}

/**
 * Any program as a cold Observable.
 *
 * @example
 * ```ts
 * import { CommandProcess } from 'rx-orchestration';
 * const result = await new CommandProcess({ command: 'echo', args: ['hello'] }).run();
 * console.log(result.exitCode, result.output); // 0 'hello\n'
 * ```
 */
export class CommandProcess implements Runnable {
  readonly processId: string;
  private sink: ProcessLogSink | undefined;

  constructor(readonly options: CommandProcessOptions) {
    checkString('command', options?.command);
    checkStringArray('args', options.args);
    if (options.input !== undefined && typeof options.input !== 'string' && !Buffer.isBuffer(options.input)) {
      throw invalidOption('input', 'a string or a Buffer', options.input);
    }
    checkBaseOptions(options);
    this.processId = options.processId ?? basename(options.command);
  }

  /** A cold Observable of this process's events: each subscription is a new run. */
  events(run: RunOptions = {}): Observable<ProcessEvent> {
    return defer(() => {
      checkTimeout('timeout', run.timeout);
      const invocation = this.invocation(run);
      const options = this.options;
      const cwd = options.cwd ?? process.cwd();
      const terminal = options.terminal;
      const timeout = run.timeout ?? options.timeout;
      const request: SpawnRequest = {
        processId: this.processId,
        command: invocation.command,
        args: invocation.args,
        cwd,
        env: this.environment(),
        input: invocation.input,
        terminal: Boolean(terminal),
        cols: (typeof terminal === 'object' && terminal.cols) || defaults.terminalCols,
        rows: (typeof terminal === 'object' && terminal.rows) || defaults.terminalRows,
        timeoutMs: timeoutMs(timeout),
        killGraceMs: (options.killGrace ?? defaults.killGrace) * 1000,
        exitGraceMs: (options.exitGrace ?? defaults.exitGrace) * 1000,
        killLeftovers: options.killLeftovers ?? defaults.killLeftovers,
        maxBuffer: options.maxBuffer ?? defaults.maxBuffer,
        signal: run.signal,
        limits: options.limits,
        gate: options.outputGate,
        scheduler: options.scheduler,
        // The secrets of the child's environment, kept out of `error` (built only when a run fails).
        redact: (text) => (redactor ??= createRedactor(secretValues(request.env)))(text),
      };
      let redactor: Redactor | undefined;
      const retry = options.retry;
      // Retrying re-subscribes the spawn (and the Claude parsing) alone, so mirroring and the log see
      // one run of many attempts, and a Claude run that reports an error in its result is retried too.
      const attempt = () => this.transform(spawnEvents(request));
      let events$ = retry && retry.count > 0 ? retryEvents(attempt, retry, run.signal) : attempt();
      if (options.streamOutput) events$ = events$.pipe(mirrorOutput());
      const sink = this.logSink();
      if (sink) {
        events$ = events$.pipe(
          logEvents(sink, {
            processId: this.processId,
            command: invocation.command,
            args: invocation.args,
            cwd,
            prompt: invocation.prompt,
            delivery: invocation.delivery,
            terminal: request.terminal,
            secrets: secretValues(request.env),
          }),
        );
      }
      return events$;
    });
  }

  /** Runs the process once and resolves its result (never rejects for a failed process). */
  run(run: RunOptions = {}): Promise<ProcessResult> {
    return lastValueFrom(
      this.events(run).pipe(
        filter((event): event is ResultEvent => event.type === 'result'),
        map((event) => event.result),
      ),
    );
  }

  /** The program, arguments and stdin of one run. Earlier outputs (`context`) arrive on stdin. */
  protected invocation(run: RunOptions): Invocation {
    const { command, args = [], input } = this.options;
    if (!run.context || run.context.length === 0) return { command, args, input };
    const section = formatContext(run.context);
    const combined = input === undefined ? section : Buffer.concat([Buffer.from(input), Buffer.from(section)]);
    return { command, args, input: combined, delivery: 'earlier outputs on stdin' };
  }

  /** Reshapes a run's raw events before they are mirrored and logged (ClaudeProcess parses its output here). */
  protected transform(events$: Observable<ProcessEvent>): Observable<ProcessEvent> {
    return events$;
  }

  /** The child's environment. */
  protected environment(): Record<string, string> {
    return childEnvironment(this.options);
  }

  private logSink(): ProcessLogSink | undefined {
    if (this.options.logSink) return this.options.logSink;
    if (this.options.logDir && !this.sink) {
      // No session collects write errors here: each becomes a process warning, once per file.
      this.sink = fileLogSink(this.options.logDir, {
        outputGate: this.options.outputGate,
        onWriteError: (error) => process.emitWarning(error.message, { type: error.name, code: error.code }),
      });
    }
    return this.sink;
  }
}
