/**
 * A session: a factory of configured processes that all log under one directory, a session log,
 * and a summary of every result.
 *
 * Layout: `<sessionDir>/session.log`, one `<safe process id>.log` per process, `summary.json`,
 * `plan.json`, `joblog.tsv`, `processes.tsv`; `sessionDir` is `<logRoot>/<sessionId>` unless given.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ClaudeProcess, type ClaudeProcessOptions } from '../runnable/claude-process';
import { claudeTotals } from '../agents/claude/totals';
import { defaults } from '../defaults';
import { displayArg, displayCommand, fileLogSink, oneLine } from '../logging/file-log-sink';
import type { LogDirectory } from '../logging/log-directory';
import { createSessionDirectory, openNamedDirectory } from '../logging/open-log-directory';
import { createRedactor, openTailStart, secretValues, type Redactor } from '../logging/redact';
import { createFileLogger, discardingLogger, type FileLogger } from '../logging/winston-file';
import { OutputGate } from '../process/buffer/output-gate';
import { CommandProcess, type CommandProcessOptions } from '../runnable/command-process';
import type { ProcessLogSink } from '../logging/log-sink';
import { checkRetryOptions, type RetryOptions } from '../operators/retry-options';
import type { ProcessResult } from '../process/types';
import { checkString, invalidOption, oneOf } from '../validate';
import { createSessionId } from './session-id';
import { countResults, redactResult, SUMMARY_FILE, writeSummaryFile, type LogsStatus, type SessionSummary, type SummaryTotals } from './summary';
// Job log and plan (issue 6)
import type { Runnable } from '../process/types';
import { JobLogFile, jobLogEntry } from './job-log';
import { writePlan, type PlanPhase } from './plan';
import { describeProcess, plannedSecrets, redactPlanned, type PlannedProcess } from './planned-process';
import { fromSpec, type SpecBuilder } from '../runnable/from-spec';
import type { RunSpec } from '../process/spec';
import { LogWriteError, ResumeError } from '../errors';
import { recordingStarts } from './live-processes';
import { withSessionLog } from './attach-log';
import { aggregateResults } from '../strategies/aggregate';

function summaryTotals(results: readonly ProcessResult[]): SummaryTotals {
  const { totalDurationMs, criticalPathMs } = aggregateResults(results);
  return { totalDurationMs, criticalPathMs };
}

export interface SessionOptions {
  /** Names the kind of work (`parallel-analysis`, `pipeline`); starts the session id. */
  readonly patternName: string;
  /** Where processes run and where `.claude/runtime/logs` lives; must exist. @default process.cwd() */
  readonly cwd?: string;
  /** The seed's name for `cwd` (its `working_dir`); give one of the two. */
  readonly workingDir?: string;
  /** Directory that holds one directory per session. @default `<cwd>/.claude/runtime/logs` */
  readonly logRoot?: string;
  /**
   * The session's own log directory: created new when missing; an existing one is reused only if
   * it is a real directory (not a symlink) owned by us and not writable by group or others.
   * (Named `logDir` before; `logDir` is a process's log directory.)
   * @default `<logRoot>/<sessionId>`, always created new (an error if it exists)
   */
  readonly sessionDir?: string;
  /** Model for every Claude process the session creates. @default the CLI's own */
  readonly model?: string;
  /** The Claude executable for every Claude process. @default 'claude' */
  readonly command?: string;
  /** Claude options for every process `createProcess` makes (output format, permission mode, max turns, ...); per-call options win. @default {} */
  readonly claudeOptions?: CreateProcessOptions;
  /** Retry settings for every process the session creates (a per-call `retry` wins). @default no retry */
  readonly retry?: RetryOptions;
  /**
   * Backpressure shared by the session's log files and every process it creates: while a log file
   * cannot keep up, the gate is closed and the children's output waits. @default a new OutputGate
   */
  readonly outputGate?: OutputGate;
  /**
   * Called once per log file that cannot be opened or written (session.log, a process log,
   * joblog.tsv, plan.json, summary.json), with the file and why; the runs go on and
   * `summary.json` records the logs as incomplete. @default none (see `session.logErrors()`)
   */
  readonly onLogError?: (error: LogWriteError) => void;
}

/** Options of `createPlanned`. */
export interface CreatePlannedOptions {
  /** Backpressure for the rebuilt process. @default the session's gate */
  readonly outputGate?: OutputGate;
  /** Builders of your own kinds of spec, by kind (see `fromSpec`). @default {} */
  readonly build?: Readonly<Record<string, SpecBuilder>>;
}

/** Options of `createProcess`: any `ClaudeProcessOptions` but the prompt and id. */
export type CreateProcessOptions = Partial<Omit<ClaudeProcessOptions, 'prompt' | 'processId'>>;

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * @example
 * ```ts
 * import { OrchestratorSession, runParallel } from 'rx-orchestration';
 * const session = new OrchestratorSession({ patternName: 'multi-agent' });
 * const agents = [
 *   session.createProcess('Analyze security', 'security'),
 *   session.createProcess('Analyze performance', 'performance'),
 * ];
 * session.log('Starting analysis');
 * const results = await runParallel(agents, { maxWorkers: 2 });
 * await session.writeSummary(results);
 * await session.close();
 * ```
 */
export class OrchestratorSession {
  readonly sessionId: string;
  readonly patternName: string;
  /** The session's working directory (the `cwd` option, resolved). */
  readonly cwd: string;
  /** The session's own log directory (the `sessionDir` option, or `<logRoot>/<sessionId>`). */
  readonly sessionDir: string;
  /** The seed's name for `cwd`. */
  get workingDir(): string {
    return this.cwd;
  }
  readonly model: string | undefined;
  readonly command: string;
  readonly retry: RetryOptions | undefined;
  readonly startedAt = new Date();
  /** Claude options applied to every `createProcess`. */
  readonly claudeOptions: CreateProcessOptions;
  /** Where the session's processes log; pass it as `logSink` to processes you build yourself. */
  readonly logSink: ProcessLogSink;
  /** Closed while a log file cannot keep up; every process the session creates obeys it. */
  readonly outputGate: OutputGate;
  private readonly directory: LogDirectory;
  private readonly jobLog: JobLogFile;
  private readonly writeErrors = new Map<string, LogWriteError>();
  private readonly onLogError: ((error: LogWriteError) => void) | undefined;
  private readonly sessionLog: FileLogger;
  private readonly recorded: ProcessResult[] = [];
  /** Secrets of the host and of every child environment seen, kept out of the log and the summary. */
  private readonly secrets = new Set(secretValues(process.env));
  private redactor = createRedactor([...this.secrets]);
  /**
   * `text` with every secret the session knows replaced by `[REDACTED]`: the host's, those of every
   * process's own environment (`env` option) created or planned so far, key shapes and URL
   * passwords. A `Redactor`: `openTail` tells a stream where it may cut (see `RedactingStream`).
   *
   * @example
   * ```ts
   * import { OrchestratorSession } from 'rx-orchestration';
   * const session = new OrchestratorSession({ patternName: 'redact' });
   * session.redact('postgres://app:hunter22@db/prod'); // 'postgres://app:[REDACTED]@db/prod'
   * ```
   */
  readonly redact: Redactor = Object.assign((text: string) => this.redactor(text), {
    openTail: (text: string) => openTailStart(text, this.redactor),
  });
  private nextNumber = 1;
  private closed = false;
  private readonly phases: PlanPhase[] = [];

  constructor(options: SessionOptions) {
    this.patternName = checkString('patternName', options?.patternName);
    if (options.workingDir !== undefined) checkString('workingDir', options.workingDir);
    if (options.cwd !== undefined) checkString('cwd', options.cwd);
    const cwd = oneOf(['workingDir', 'cwd'], [options.workingDir, options.cwd]);
    if (options.logRoot !== undefined) checkString('logRoot', options.logRoot);
    const renamed = (options as { logDir?: unknown }).logDir;
    if (renamed !== undefined) throw invalidOption('logDir', "absent: a session's own directory is now sessionDir (logDir is a process's log directory)", renamed);
    if (options.sessionDir !== undefined) checkString('sessionDir', options.sessionDir);
    if (options.model !== undefined) checkString('model', options.model);
    if (options.command !== undefined) checkString('command', options.command);
    if (options.retry !== undefined) checkRetryOptions('retry', options.retry);
    if (options.outputGate !== undefined && !(options.outputGate instanceof OutputGate)) throw invalidOption('outputGate', 'an OutputGate', options.outputGate);
    if (options.onLogError !== undefined && typeof options.onLogError !== 'function') throw invalidOption('onLogError', 'a function', options.onLogError);
    this.sessionId = createSessionId(this.patternName, this.startedAt);
    this.cwd = resolve(cwd ?? process.cwd());
    // Nothing is created for a working directory that does not exist (its logs would be).
    if (!statSync(this.cwd, { throwIfNoEntry: false })?.isDirectory()) {
      throw invalidOption(options.cwd !== undefined ? 'cwd' : 'workingDir', 'an existing directory', cwd ?? this.cwd);
    }
    const logRoot = resolve(this.cwd, options.logRoot ?? defaults.logRoot);
    this.sessionDir = resolve(this.cwd, options.sessionDir ?? join(logRoot, this.sessionId));
    this.model = options.model;
    this.command = options.command ?? defaults.claudeCommand;
    if (options.claudeOptions !== undefined && (typeof options.claudeOptions !== 'object' || options.claudeOptions === null)) {
      throw invalidOption('claudeOptions', 'an object of ClaudeProcess options', options.claudeOptions);
    }
    this.claudeOptions = { ...options.claudeOptions };
    this.retry = options.retry;
    this.outputGate = options.outputGate ?? new OutputGate();
    this.onLogError = options.onLogError;
    this.directory = options.sessionDir !== undefined ? openNamedDirectory(this.sessionDir) : createSessionDirectory(logRoot, this.sessionId);
    const reportError = (error: LogWriteError): void => this.reportLogError(error);
    this.jobLog = new JobLogFile(this.directory, reportError);
    this.sessionLog = this.openSessionLog();
    // Every process start is recorded in processes.tsv as it happens, so that `resume` can tell
    // whether an earlier run's processes still run (live-processes.ts).
    this.logSink = recordingStarts(fileLogSink(this.directory, {
      outputGate: this.outputGate,
      onWriteError: reportError,
      onRunEnd: (header, result, file) => {
        this.addSecrets(header.secrets ?? []);
        if (result) this.recorded.push(result);
        // Redacted before anything is quoted, escaped or cut (the job log cuts long commands).
        if (result) this.jobLog.append(jobLogEntry({ ...result, processId: this.redact(result.processId) }, displayCommand(header.command, header.args, this.redactor)));
        if (this.closed) return;
        const how = result ? `exit code ${result.exitCode} in ${result.duration.toFixed(3)} s${result.error ? ` (${result.error})` : ''}` : 'abandoned';
        this.log(`${displayArg(this.redact(header.processId))}: ${oneLine(this.redact(how))}; log ${oneLine(file)}`, result && result.exitCode !== 0 ? 'warn' : 'info');
      },
    }), this.directory, {
      redact: (text) => this.redact(text),
      onError: (error) => this.closed || this.log(`cannot record process starts in processes.tsv: ${oneLine(error.message)}`, 'warn'),
    });
    this.log(`session ${this.sessionId} started (pattern ${oneLine(this.patternName)}, working dir ${oneLine(this.cwd)})`);
  }

  /** session.log, or (when it cannot even be opened) a logger that writes nothing, the error reported. */
  private openSessionLog(): FileLogger {
    const name = 'session.log';
    try {
      return createFileLogger({ fd: this.directory.openAppend(name), path: this.directory.display(name), gate: this.outputGate, onError: (error) => this.reportLogError(error) });
    } catch (error) {
      this.reportLogError(error instanceof LogWriteError ? error : new LogWriteError(this.directory.display(name), error));
      return discardingLogger();
    }
  }

  /** Records a log file that could not be written (once per file) and tells `onLogError`. */
  private reportLogError(error: LogWriteError): void {
    if (this.writeErrors.has(error.file)) return;
    this.writeErrors.set(error.file, error);
    this.onLogError?.(error);
  }

  /** Every log file that could not be opened or written so far, one error per file; empty when the logs are complete. */
  logErrors(): LogWriteError[] {
    return [...this.writeErrors.values()];
  }

  /** Whether every log file so far was written whole. */
  private logsStatus(): LogsStatus {
    const errors = this.logErrors().map((error) => ({ file: error.file, reason: this.redact(error.reason) }));
    return { complete: errors.length === 0, errors };
  }

  /** A secret from a process's own environment (`env` option) is redacted from the summary too. */
  private addSecrets(values: readonly string[]): void {
    const known = this.secrets.size;
    for (const value of values) this.secrets.add(value);
    if (this.secrets.size !== known) this.redactor = createRedactor([...this.secrets]);
  }

  /** Every Runnable this session built (its runs already log here). */
  private readonly built = new WeakSet<Runnable>();

  private made<R extends Runnable>(runnable: R): R {
    this.built.add(runnable);
    return runnable;
  }

  /**
   * A Runnable whose runs log to this session (a full log, a job-log line) like the ones it
   * builds: those it built are returned as they are; any other is wrapped. `orchestrate` attaches
   * the ready Runnables of a plan this way, so that `resumeFailed` knows what they did.
   */
  attach(runnable: Runnable): Runnable {
    if (this.built.has(runnable)) return runnable;
    return this.made(withSessionLog(runnable, this.logSink, this.cwd));
  }

  /** The next automatic process id: `process_001`, `process_002`, ... */
  private autoId(): string {
    return `process_${String(this.nextNumber++).padStart(3, '0')}`;
  }

  /** A Claude process configured with the session's directory, model, command and logs. */
  createProcess(prompt: string, processId?: string, options: CreateProcessOptions = {}): ClaudeProcess {
    if (options.env) this.addSecrets(secretValues(options.env));
    return this.made(new ClaudeProcess({
      model: this.model,
      command: this.command,
      ...this.claudeOptions,
      retry: this.retry,
      ...options,
      // A per-call `cwd` (or the seed's `workingDir`) overrides the session's directory.
      workingDir: undefined,
      cwd: oneOf(['workingDir', 'cwd'], [options.workingDir, options.cwd]) ?? this.cwd,
      prompt,
      processId: processId ?? this.autoId(),
      logSink: this.logSink,
      outputGate: options.outputGate ?? this.outputGate,
      workspaceSession: this.sessionId,
    }));
  }

  /** A process for any program, logged like the session's Claude processes. */
  createCommand(command: string, args: readonly string[] = [], processId?: string, options: Partial<CommandProcessOptions> = {}): CommandProcess {
    if (options.env) this.addSecrets(secretValues(options.env));
    return this.made(new CommandProcess({
      cwd: this.cwd,
      retry: this.retry,
      ...options,
      command,
      args,
      processId: processId ?? this.autoId(),
      logSink: this.logSink,
      outputGate: options.outputGate ?? this.outputGate,
      workspaceSession: this.sessionId,
    }));
  }

  // ---------------------------------------------------------------- plan and resume (issue 6)

  /**
   * Records processes the session is about to run, as one phase of `plan.json` (rewritten on each
   * call), so that `pendingFrom(session.sessionDir)` / `orchestrate resume` can run again what fails
   * or never runs. Prompts are stored verbatim (0600); secret values (from the environment, or
   * shaped like `sk-ant-...`) are not: a process whose command line held one cannot be resumed.
   * Takes any Runnable: one with `spec()` (`ClaudeProcess`, `CommandProcess`, your own) is stored
   * as its spec; one without is recorded by id, as not resumable. Returns the plan's path.
   *
   * @example
   * ```ts
   * import { OrchestratorSession, runSequential } from 'rx-orchestration';
   * const session = new OrchestratorSession({ patternName: 'nightly' });
   * const steps = [session.createCommand('npm', ['run', 'build']), session.createCommand('npm', ['test'])];
   * session.plan(steps, { strategy: 'sequential', settings: { stopOnFailure: true } });
   * await runSequential(steps, { stopOnFailure: true }); // later: pendingFrom(session.sessionDir)
   * ```
   */
  plan(processes: readonly Runnable[], phase: Omit<PlanPhase, 'processes'> = {}): string {
    // A secret of a process's own environment is kept out of the plan (and later logs) too.
    for (const p of processes) this.addSecrets(plannedSecrets(p));
    this.phases.push({ ...phase, processes: processes.map((p) => redactPlanned(describeProcess(p), this.redactor)) });
    let path: string;
    try {
      path = writePlan(this.directory, {
        version: 2,
        sessionId: this.sessionId,
        patternName: this.patternName,
        cwd: this.cwd,
        phases: this.phases,
      }, (why) => this.log(`plan: written without an integrity check (${oneLine(why)}); resuming it needs --trust-plan`, 'warn'));
    } catch (error) {
      if (error instanceof LogWriteError) this.reportLogError(error);
      throw error;
    }
    this.log(`plan: ${processes.length} process(es)${phase.strategy ? ` (${oneLine(this.redact(phase.strategy))})` : ''} recorded in ${oneLine(path)}`);
    return path;
  }

  /**
   * A process of this session built again from a planned one (from `pendingFrom`), logged here:
   * `command` and `claude` specs by the library, your own kinds by `extra.build`
   * (`{ myKind: (spec, { logSink, outputGate }) => runnable }`); `extra.outputGate` applies
   * backpressure. A `ResumeError` for a process the plan could not store (a secret in its spec,
   * no spec) or whose kind has no builder.
   */
  createPlanned(planned: PlannedProcess, extra: CreatePlannedOptions = {}): Runnable {
    const id = JSON.stringify(planned.processId);
    if (planned.secretsRemoved) {
      throw new ResumeError(null, `process ${id} held a secret value in its command line, prompt or stdin, which the plan does not store; run it again yourself`);
    }
    if (!planned.spec) throw new ResumeError(null, `process ${id} cannot be resumed: ${planned.unresumable ?? 'the plan holds no spec for it'}`);
    const spec = planned.spec as RunSpec;
    if (spec.env) this.addSecrets(secretValues(spec.env));
    const build = extra.build ?? {};
    if (spec.kind !== 'command' && spec.kind !== 'claude' && !Object.prototype.hasOwnProperty.call(build, spec.kind)) {
      throw new ResumeError(null, `process ${id} is of kind ${JSON.stringify(spec.kind)}, which has no builder: pass build: { ${JSON.stringify(spec.kind)}: (spec, context) => runnable }`);
    }
    // Where the spec says nothing, the process runs in this session's directory.
    return this.made(fromSpec({ cwd: this.cwd, ...spec }, { build, logSink: this.logSink, outputGate: extra.outputGate ?? this.outputGate, sessionId: this.sessionId }));
  }

  /** Writes one line to `session.log` (secrets redacted). Throws once the session is closed. */
  log(message: string, level: LogLevel = 'info'): void {
    if (this.closed) throw new Error(`session ${this.sessionId} is closed; cannot log: ${message}`);
    this.sessionLog.logger.log(level, this.redactor(message));
  }

  /** Every result of this session's processes so far, in completion order. */
  results(): ProcessResult[] {
    return [...this.recorded];
  }

  /** The session's metadata and results (the recorded ones unless given), secrets redacted. */
  summary(results: readonly ProcessResult[] = this.recorded, details?: Record<string, unknown>): SessionSummary {
    const endedAt = new Date();
    return {
      sessionId: this.sessionId,
      patternName: this.patternName,
      cwd: this.cwd,
      sessionDir: this.sessionDir,
      startedAt: this.startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      durationMs: endedAt.getTime() - this.startedAt.getTime(),
      counts: countResults(results),
      // Claude totals (issue 3): cost, turns and tokens over every result that has them.
      claude: claudeTotals(results),
      totals: summaryTotals(results),
      ...(details ? { details } : {}),
      results: results.map((result) => redactResult(result, this.redactor)),
      logs: this.logsStatus(),
    };
  }

  /**
   * Writes `summary.json` in the session directory and returns its path. Rejects with a
   * `LogWriteError` (also reported to `onLogError`) when it cannot be written.
   */
  async writeSummary(results?: readonly ProcessResult[], details?: Record<string, unknown>): Promise<string> {
    let path: string;
    try {
      path = writeSummaryFile(this.directory, this.summary(results, details));
    } catch (error) {
      const failure = error instanceof LogWriteError ? error : new LogWriteError(join(this.sessionDir, SUMMARY_FILE), error);
      this.reportLogError(failure);
      throw failure;
    }
    this.log(`summary written to ${path}`);
    return path;
  }

  /** Flushes and closes the session log. Call once, at the end. */
  async close(): Promise<void> {
    if (!this.closed) this.log(`session ${this.sessionId} closed`);
    this.closed = true;
    await this.sessionLog.close();
    this.jobLog.close();
    this.directory.close();
  }
}
