/**
 * A session: a factory of configured processes that all log under one directory, a session log,
 * and a summary of every result.
 *
 * Layout: `<logDir>/session.log`, one `<safe process id>.log` per process, `summary.json`.
 */
import { join, resolve } from 'node:path';
import { ClaudeProcess, type ClaudeProcessOptions } from '../claude/claude-process';
import { claudeTotals } from '../claude/totals';
import { defaults } from '../defaults';
import { displayArg, displayCommand, fileLogSink, oneLine } from '../logging/file-log-sink';
import { ensureLogDirectory } from '../logging/log-directory';
import { createRedactor, openTailStart, secretValues, type Redactor } from '../logging/redact';
import { createFileLogger, type FileLogger } from '../logging/winston-file';
import { CommandProcess, type CommandProcessOptions } from '../process/command-process';
import type { ProcessLogSink } from '../process/log-sink';
import { checkRetryOptions, type RetryOptions } from '../process/retry-options';
import type { ProcessResult } from '../process/types';
import { checkString, invalidOption } from '../validate';
import { createSessionId } from './session-id';
import { countResults, redactResult, writeSummaryFile, type SessionSummary, type SummaryTotals } from './summary';
// Job log and plan (issue 6)
import type { Runnable } from '../process/types';
import { appendJobLog, jobLogEntry } from './job-log';
import { describeProcess, plannedSecrets, redactPlanned, writePlan, type PlannedProcess, type PlanPhase } from './plan';
import { ResumeError } from '../errors';
import { aggregateResults } from '../strategies/aggregate';

function summaryTotals(results: readonly ProcessResult[]): SummaryTotals {
  const { totalDuration, criticalPath } = aggregateResults(results);
  return { totalDuration, criticalPath };
}

export interface SessionOptions {
  /** Names the kind of work (`parallel-analysis`, `pipeline`); starts the session id. */
  readonly patternName: string;
  /** Where processes run and where `.claude/runtime/logs` lives. @default process.cwd() */
  readonly workingDir?: string;
  /** Directory that holds one directory per session. @default `<workingDir>/.claude/runtime/logs` */
  readonly logRoot?: string;
  /** The session's own log directory, used as it is. @default `<logRoot>/<sessionId>` */
  readonly logDir?: string;
  /** Model for every Claude process the session creates. @default the CLI's own */
  readonly model?: string;
  /** The Claude executable for every Claude process. @default 'claude' */
  readonly command?: string;
  /** Claude options for every process `createProcess` makes (output format, permission mode, max turns, ...); per-call options win. @default {} */
  readonly claudeOptions?: CreateProcessOptions;
  /** Retry settings for every process the session creates (a per-call `retry` wins). @default no retry */
  readonly retry?: RetryOptions;
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
  readonly workingDir: string;
  readonly logDir: string;
  readonly model: string | undefined;
  readonly command: string;
  readonly retry: RetryOptions | undefined;
  readonly startedAt = new Date();
  /** Claude options applied to every `createProcess`. */
  readonly claudeOptions: CreateProcessOptions;
  /** Where the session's processes log; pass it as `logSink` to processes you build yourself. */
  readonly logSink: ProcessLogSink;
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
    if (options.logRoot !== undefined) checkString('logRoot', options.logRoot);
    if (options.logDir !== undefined) checkString('logDir', options.logDir);
    if (options.model !== undefined) checkString('model', options.model);
    if (options.command !== undefined) checkString('command', options.command);
    if (options.retry !== undefined) checkRetryOptions('retry', options.retry);
    this.sessionId = createSessionId(this.patternName, this.startedAt);
    this.workingDir = resolve(options.workingDir ?? process.cwd());
    const logRoot = resolve(this.workingDir, options.logRoot ?? defaults.logRoot);
    this.logDir = resolve(this.workingDir, options.logDir ?? join(logRoot, this.sessionId));
    this.model = options.model;
    this.command = options.command ?? defaults.claudeCommand;
    if (options.claudeOptions !== undefined && (typeof options.claudeOptions !== 'object' || options.claudeOptions === null)) {
      throw invalidOption('claudeOptions', 'an object of ClaudeProcess options', options.claudeOptions);
    }
    this.claudeOptions = { ...options.claudeOptions };
    this.retry = options.retry;
    ensureLogDirectory(this.logDir);
    this.sessionLog = createFileLogger(join(this.logDir, 'session.log'));
    this.logSink = fileLogSink(this.logDir, {
      onRunEnd: (header, result, file) => {
        this.addSecrets(header.secrets ?? []);
        if (result) this.recorded.push(result);
        // Redacted before anything is quoted, escaped or cut (the job log cuts long commands).
        if (result) appendJobLog(this.logDir, jobLogEntry({ ...result, processId: this.redact(result.processId) }, displayCommand(header.command, header.args, this.redactor)));
        if (this.closed) return;
        const how = result ? `exit code ${result.exitCode} in ${result.duration.toFixed(3)} s${result.error ? ` (${result.error})` : ''}` : 'abandoned';
        this.log(`${displayArg(this.redact(header.processId))}: ${oneLine(this.redact(how))}; log ${oneLine(file)}`, result && result.exitCode !== 0 ? 'warn' : 'info');
      },
    });
    this.log(`session ${this.sessionId} started (pattern ${oneLine(this.patternName)}, working dir ${oneLine(this.workingDir)})`);
  }

  /** A secret from a process's own environment (`env` option) is redacted from the summary too. */
  private addSecrets(values: readonly string[]): void {
    const known = this.secrets.size;
    for (const value of values) this.secrets.add(value);
    if (this.secrets.size !== known) this.redactor = createRedactor([...this.secrets]);
  }

  /** The next automatic process id: `process_001`, `process_002`, ... */
  private autoId(): string {
    return `process_${String(this.nextNumber++).padStart(3, '0')}`;
  }

  /** A Claude process configured with the session's directory, model, command and logs. */
  createProcess(prompt: string, processId?: string, options: CreateProcessOptions = {}): ClaudeProcess {
    if (options.env) this.addSecrets(secretValues(options.env));
    return new ClaudeProcess({
      model: this.model,
      command: this.command,
      ...this.claudeOptions,
      retry: this.retry,
      ...options,
      // A per-call `cwd` overrides the session's directory too (in ClaudeProcess `workingDir` wins over `cwd`).
      workingDir: options.workingDir ?? options.cwd ?? this.workingDir,
      prompt,
      processId: processId ?? this.autoId(),
      logSink: this.logSink,
    });
  }

  /** A process for any program, logged like the session's Claude processes. */
  createCommand(command: string, args: readonly string[] = [], processId?: string, options: Partial<CommandProcessOptions> = {}): CommandProcess {
    if (options.env) this.addSecrets(secretValues(options.env));
    return new CommandProcess({
      cwd: this.workingDir,
      retry: this.retry,
      ...options,
      command,
      args,
      processId: processId ?? this.autoId(),
      logSink: this.logSink,
    });
  }

  // ---------------------------------------------------------------- plan and resume (issue 6)

  /**
   * Records processes the session is about to run, as one phase of `plan.json` (rewritten on each
   * call), so that `pendingFrom(session.logDir)` / `orchestrate resume` can run again what fails
   * or never runs. Prompts are stored verbatim (0600); secret values (from the environment, or
   * shaped like `sk-ant-...`) are not: a process whose command line held one cannot be resumed.
   * Takes `ClaudeProcess` and `CommandProcess` objects; returns the plan's path.
   *
   * @example
   * ```ts
   * import { OrchestratorSession, runSequential } from 'rx-orchestration';
   * const session = new OrchestratorSession({ patternName: 'nightly' });
   * const steps = [session.createCommand('npm', ['run', 'build']), session.createCommand('npm', ['test'])];
   * session.plan(steps, { strategy: 'sequential', settings: { stopOnFailure: true } });
   * await runSequential(steps, { stopOnFailure: true }); // later: pendingFrom(session.logDir)
   * ```
   */
  plan(processes: readonly Runnable[], phase: Omit<PlanPhase, 'processes'> = {}): string {
    // A secret of a process's own environment is kept out of the plan (and later logs) too.
    for (const p of processes) this.addSecrets(plannedSecrets(p));
    this.phases.push({ ...phase, processes: processes.map((p) => redactPlanned(describeProcess(p), this.redactor)) });
    const path = writePlan(this.logDir, {
      version: 1,
      sessionId: this.sessionId,
      patternName: this.patternName,
      workingDir: this.workingDir,
      phases: this.phases,
    });
    this.log(`plan: ${processes.length} process(es)${phase.strategy ? ` (${oneLine(this.redact(phase.strategy))})` : ''} recorded in ${oneLine(path)}`);
    return path;
  }

  /** A process of this session built from a planned one (from `pendingFrom`), logged here. */
  createPlanned(planned: PlannedProcess): ClaudeProcess | CommandProcess {
    if (planned.secretsRemoved) {
      throw new ResumeError(null, `process ${JSON.stringify(planned.processId)} held a secret value in its command line, prompt or stdin, which the plan does not store; run it again yourself`);
    }
    const { env, ...options } = planned.options;
    const shared = { ...options, ...(env ? { env } : {}) };
    if (planned.kind === 'claude') {
      return this.createProcess(planned.prompt ?? '', planned.processId, {
        ...shared,
        ...planned.claudeOptions,
        command: planned.command,
        model: planned.model,
        ...(planned.extraArgs ? { extraArgs: planned.extraArgs } : {}),
      });
    }
    const input = planned.input && Buffer.from(planned.input.data, planned.input.encoding);
    return this.createCommand(planned.command, planned.args ?? [], planned.processId, {
      ...shared,
      ...(input && planned.input?.encoding === 'utf8' ? { input: planned.input.data } : input ? { input } : {}),
    });
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
      workingDir: this.workingDir,
      logDir: this.logDir,
      startedAt: this.startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      duration: (endedAt.getTime() - this.startedAt.getTime()) / 1000,
      counts: countResults(results),
      // Claude totals (issue 3): cost, turns and tokens over every result that has them.
      claude: claudeTotals(results),
      totals: summaryTotals(results),
      ...(details ? { details } : {}),
      results: results.map((result) => redactResult(result, this.redactor)),
    };
  }

  /** Writes `summary.json` in the session directory and returns its path. */
  async writeSummary(results?: readonly ProcessResult[], details?: Record<string, unknown>): Promise<string> {
    const path = join(this.logDir, 'summary.json');
    await writeSummaryFile(path, this.summary(results, details));
    this.log(`summary written to ${path}`);
    return path;
  }

  /** Flushes and closes the session log. Call once, at the end. */
  async close(): Promise<void> {
    if (!this.closed) this.log(`session ${this.sessionId} closed`);
    this.closed = true;
    await this.sessionLog.close();
  }
}
