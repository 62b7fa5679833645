/**
 * One CLI invocation, on top of the public API: validate, open a session, run the phase(s) with
 * live output, then write the summary and decide the exit code.
 *
 * Exit codes: 0 the strategy succeeded, 1 it did not (or `resume` was declined), 2 usage error,
 * 3 (only with `--strict-logs`) every job succeeded but a log file could not be written,
 * 75 `resume` refused because processes of the earlier run still run, 129 hung up (SIGHUP),
 * 130 interrupted (Ctrl-C), 141 stdout closed by its reader (as `| head` does), 143 terminated (SIGTERM).
 *
 * A log file that cannot be written (a full disk, a refused symlink) is reported once on stderr
 * as it happens (`orchestrate: cannot write <file>: <why>; logs incomplete`); the run goes on,
 * the summary table is still printed, the `Logs:` line says the logs are incomplete, and
 * summary.json (when it can be written) records `logs: { complete: false, errors }`.
 *
 * Signal handling is installed before any step that can wait (reading files, asking the user,
 * stopping stale processes), so Ctrl-C, SIGTERM and SIGHUP always end the CLI.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { aggregateResults, autoMaxWorkers, createRedactor, defaultMaxWorkers, openTailStart, OrchestratorSession, OutputGate, secretValues, type CreateProcessOptions, type HaltPolicy, type PendingWork, type ProcessResult, type Redactor, type ResourceLimits, type RetryOptions, type Runnable } from '../index';
import { claudeTotalsLine, staggeredDelay } from './claude-summary';
import { simulatedAgentPath } from '../testing/index';
import { demoPhases, type Phase } from '../orchestrator/demo';
import { boardRenderer, wantsBoard } from './board';
import { humanRenderer, inertLines, jsonRenderer, redactingRenderer, summaryTable, type Output, type Renderer } from './render';
import { runStrategy, strategyOperator, strategySucceeded, type StrategyName, type StrategySettings } from './run-strategy';
import { splitCommand } from './split-command';
// Resource limits, job log and resume (issue 6)
import { summaryFooter } from './footer';
import { prepareResume, recordPlan, resumePhases, sessionDirectory, withoutSucceededPhases, type ResumeFlags } from './resume';

export interface CliOptions {
  readonly command: StrategyName | 'demo' | 'resume';
  /** Prompts, or with `exec` command lines (`resume`: the earlier session's id or directory). */
  readonly items: readonly string[];
  readonly maxWorkers?: number | 'auto';
  readonly batchSize?: number;
  readonly passOutput: boolean;
  readonly stopOnFailure: boolean;
  readonly model?: string;
  readonly timeout?: number;
  /** `--retries` and friends: applied to every process. */
  readonly retry?: RetryOptions;
  /** `--halt` (parallel, batched). */
  readonly halt?: HaltPolicy;
  readonly workingDir: string;
  readonly logDir?: string;
  /** The Claude executable; for `demo`, the simulated agent unless given. */
  readonly claudeCommand?: string;
  readonly exec: boolean;
  /** `--strict-logs`: exit 3 when the jobs succeeded but the logs are incomplete. @default false */
  readonly strictLogs?: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  /** Claude options for every prompt (issue 3). */
  readonly claude?: CreateProcessOptions;
  /** Seconds between the starts of runs that start together (issue 3). */
  readonly startDelay?: number;
  // Resource limits, job log and resume (issue 6)
  /** OS-enforced limits for every process (`--memory-limit`, `--cpu-limit`, `--nice`). */
  readonly limits?: ResourceLimits;
  /** `--resume-failed <session>`: leave out what succeeded in that earlier session. */
  readonly resumeFailed?: string;
  // Live board and output filtering (issue 6)
  /** The live status board on a terminal (`--no-board`: prefixed lines only). @default true */
  readonly board?: boolean;
  /** Only output lines matching it are shown live (`--filter`). @default none */
  readonly filter?: RegExp;
  // Resume safety (issue 10)
  /** `resume`: `--kill-stale`, `--yes`, `--trust-plan`. */
  readonly resumeFlags?: ResumeFlags;
  // Secrets and terminal safety (issue 10)
  /** Live output lines as the processes wrote them, colours and escape sequences included (`--raw`). @default false */
  readonly raw?: boolean;
  /** `--json` events with secrets redacted (`--redact`); human output is always redacted. @default false */
  readonly redact?: boolean;
}

export interface CliIO {
  readonly stdout: Output & { readonly isTTY?: boolean; on?(event: 'error', listener: (error: Error) => void): unknown; off?(event: 'error', listener: (error: Error) => void): unknown };
  readonly stderr: Output;
  readonly env: NodeJS.ProcessEnv;
  /** Where `resume` reads the user's answer (only when it and stdout are terminals). */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

export const EXIT = { ok: 0, failed: 1, usage: 2, logsIncomplete: 3, stale: 75, hangup: 129, interrupted: 130, brokenPipe: 141, terminated: 143 } as const;

/** The exit code of a run stopped by `signal` (128 + its number, as shells report it). */
function exitFor(signal: NodeJS.Signals): number {
  if (signal === 'SIGTERM') return EXIT.terminated;
  if (signal === 'SIGHUP') return EXIT.hangup;
  if (signal === 'SIGPIPE') return EXIT.brokenPipe;
  return EXIT.interrupted;
}

type GatedStream = Output & { once?: unknown };

/**
 * Output written through the gate: while the stream is full (a reader that stopped reading),
 * the gate is held closed and the children's output is no longer read, so memory stays bounded.
 */
function gated(stream: GatedStream, gate: OutputGate): Output {
  if (typeof stream.once !== 'function') return stream;
  return { write: (text: string) => gate.write(stream as unknown as NodeJS.WritableStream, text) };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function buildPhases(options: CliOptions, session: OrchestratorSession, settings: StrategySettings, gate: OutputGate): Phase[] {
  if (options.command === 'demo') return demoPhases(session, settings);
  if (options.command === 'resume') throw new Error('resume phases come from the earlier session');
  const stagger = options.startDelay;
  if (stagger !== undefined && !(Number.isFinite(stagger) && stagger >= 0)) {
    throw new TypeError(`--start-delay must be a number of seconds, 0 or more, received ${stagger}`);
  }
  const limits = { ...(options.limits ? { limits: options.limits } : {}), outputGate: gate };
  const slots = options.command === 'batched' ? options.batchSize ?? 2 : (typeof settings.maxWorkers === 'number' ? settings.maxWorkers : defaultMaxWorkers());
  const processes: Runnable[] = options.items.map((item, index) => {
    const startDelay = staggeredDelay(options.command as StrategyName, index, options.startDelay ?? 0, slots);
    if (!options.exec) return session.createProcess(item, undefined, { ...limits, ...(startDelay > 0 ? { startDelay } : {}) });
    const [program, ...args] = splitCommand(item);
    return session.createCommand(program, args, undefined, limits);
  });
  return [{ title: options.command, strategy: options.command, processes, settings }];
}

export async function runCli(options: CliOptions, io: CliIO): Promise<number> {
  const color = Boolean(io.stdout.isTTY) && !options.json && io.env.NO_COLOR === undefined;
  // Live board (issue 6): on a terminal, a status board under the scrolling lines; while it is
  // up, messages to stderr go through it so they never break it.
  // Secrets (issue 10): what people see is redacted, with the host's secrets until the session
  // exists, then with the session's (which adds every process's own); `--json` only with `--redact`.
  let redactor: Redactor = createRedactor(secretValues(io.env));
  const redact: Redactor = Object.assign((text: string) => redactor(text), { openTail: (text: string) => openTailStart(text, redactor) });
  const redacting = !options.json || options.redact === true;
  const board = wantsBoard(io.stdout, io.env, options) ? boardRenderer(io.stdout, io.stderr, { color, raw: options.raw, redact }) : undefined;
  if (board) io = { ...io, stderr: board.stderr };
  // Backpressure (issue 10): live output goes through one gate shared with every process.
  const gate = new OutputGate();
  const out = gated(io.stdout, gate);
  const err = gated(io.stderr, gate);
  const shown = board ?? (options.json ? jsonRenderer(out, err, options.quiet) : humanRenderer(out, err, { color, quiet: options.quiet, raw: options.raw }));
  // Notes are for people: redacted even with --json (they go to stderr there).
  const renderer: Renderer = board ?? (redacting ? redactingRenderer(shown, redact) : { ...shown, note: (text) => shown.note(redact(text)) });
  /** A message for stderr: redacted, and inert (it may quote an id or a path from a plan). */
  const problem = (error: unknown): string => `orchestrate: ${inertLines(redact(message(error)))}\n`;
  const controller = new AbortController();
  // `--max-workers auto` is resolved once, here, so the run uses the number shown.
  const auto = options.maxWorkers === 'auto' ? autoMaxWorkers() : undefined;
  const settings: StrategySettings = {
    maxWorkers: typeof options.maxWorkers === 'number' ? options.maxWorkers : auto?.workers,
    halt: options.halt,
    batchSize: options.batchSize,
    passOutput: options.passOutput,
    stopOnFailure: options.stopOnFailure,
    timeout: options.timeout,
    signal: controller.signal,
    filter: options.filter,
  };

  // Ctrl-C (or SIGTERM): stop every process once, keep going to write logs and the summary.
  // A second one SIGKILLs whatever is still running.
  const running = new Set<number>();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppedBy === undefined) {
      stoppedBy = signal;
      io.stderr.write(`\norchestrate: ${signal}: stopping ${running.size} running process(es); again to force\n`);
      controller.abort();
      return;
    }
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  // A reader that goes away (`orchestrate ... | head`) stops the run like Ctrl-C does.
  const onStdoutError = (error: Error): void => {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE' && stoppedBy === undefined) onSignal('SIGPIPE');
  };
  const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const release = (): void => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  io.stdout.on?.('error', onStdoutError);

  let session: OrchestratorSession;
  let phases: Phase[];
  let earlier: string | undefined;
  try {
    if (options.halt && (options.command === 'sequential' || options.command === 'fallback')) {
      throw new TypeError(`--halt applies to parallel and batched, not ${options.command}`);
    }
    const resumeOnly = Object.entries({ '--kill-stale': options.resumeFlags?.killStale, '--yes': options.resumeFlags?.yes, '--trust-plan': options.resumeFlags?.trustPlan });
    const misplaced = options.command === 'resume' ? [] : resumeOnly.filter(([, on]) => on).map(([flag]) => flag);
    if (misplaced.length > 0) throw new TypeError(`${misplaced.join(', ')} applies to resume only, not ${options.command}`);
    if (options.command !== 'demo' && options.command !== 'resume') strategyOperator(options.command, settings);
    if (options.command !== 'demo' && options.command !== 'resume' && options.items.length === 0) {
      throw new TypeError(`nothing to run: ${options.exec ? 'no commands were given (stdin had no command lines)' : 'no prompts were given'}`);
    }
    if (options.command === 'run' && options.items.length !== 1) throw new TypeError(`run takes one ${options.exec ? 'command' : 'prompt'}, received ${options.items.length}`);
    if (options.exec && options.command !== 'resume') options.items.forEach(splitCommand);
    // A working directory that does not exist is a mistake, not something to create.
    if (!statSync(options.workingDir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new TypeError(`--working-dir ${JSON.stringify(options.workingDir)} does not exist or is not a directory`);
    }
    // resume: the earlier session decides the processes, strategies and working directory.
    let work: PendingWork | undefined;
    if (options.command === 'resume') {
      const prepared = await prepareResume({
        reference: options.items[0],
        workingDir: options.workingDir,
        logDir: options.logDir,
        flags: options.resumeFlags ?? {},
        env: io.env,
        interactive: Boolean(io.stdin?.isTTY && io.stdout.isTTY),
        stdin: io.stdin,
        stderr: io.stderr,
        note: (text) => renderer.note(text),
        signal: controller.signal,
      });
      if (stoppedBy) {
        release();
        return exitFor(stoppedBy);
      }
      if (typeof prepared === 'string') {
        release();
        return prepared === 'stale' ? EXIT.stale : prepared === 'declined' ? EXIT.failed : EXIT.usage;
      }
      work = prepared;
      earlier = work.sessionDir;
      if (work.pending.length === 0) {
        release();
        renderer.note(`Nothing to resume: every planned process of ${work.sessionDir} succeeded.`);
        return EXIT.ok;
      }
    } else if (options.resumeFailed !== undefined) {
      earlier = sessionDirectory(options.resumeFailed, options.workingDir, options.logDir);
    }
    session = new OrchestratorSession({
      patternName: work ? work.plan.patternName : options.command === 'demo' ? 'demo' : `cli-${options.command}`,
      workingDir: work ? work.plan.cwd : options.workingDir,
      logRoot: options.logDir ?? (work ? dirname(work.sessionDir) : undefined),
      model: options.model,
      retry: options.retry,
      command: options.claudeCommand ?? (options.command === 'demo' ? simulatedAgentPath : undefined),
      claudeOptions: options.claude,
      onLogError: (error) => io.stderr.write(`orchestrate: ${inertLines(redact(error.message))}; logs incomplete\n`),
      // One gate for the terminal and the log files: a full stdout or a slow disk pauses the children.
      outputGate: gate,
    });
    redactor = session.redact;
    phases = work ? resumePhases(work, session, controller.signal, gate) : buildPhases(options, session, settings, gate);
    if (earlier && !work) phases = withoutSucceededPhases(phases, earlier);
    recordPlan(session, phases, earlier);
    if (earlier && !work) renderer.note(`Resuming ${earlier}: ${phases.reduce((n, phase) => n + phase.processes.length, 0)} process(es) to run`);
  } catch (error) {
    release();
    io.stderr.write(problem(error));
    return EXIT.usage;
  }

  if (auto) {
    const gib = (auto.freeMemory / 2 ** 30).toFixed(1);
    const mib = Math.round(auto.memoryPerProcess / 2 ** 20);
    renderer.note(`--max-workers auto: ${auto.workers} (${auto.cores} cores + 4 = ${auto.cores + 4}; ${gib} GiB free / ${mib} MiB per process = ${Math.floor(auto.freeMemory / auto.memoryPerProcess)}; limited by ${auto.limitedBy})`);
  }
  const results: ProcessResult[] = [];
  let succeeded = true;
  try {
    for (const phase of phases) {
      if (controller.signal.aborted) break;
      renderer.heading(phases.length > 1 ? phase.title : undefined, phase.processes.map((p) => p.processId));
      const phaseResults = await runStrategy(phase.strategy, phase.processes, phase.settings, renderer, running);
      results.push(...phaseResults);
      succeeded = strategySucceeded(phase.strategy, phaseResults, phase.settings.halt, phase.processes.length) && succeeded;
      const last = phaseResults[phaseResults.length - 1];
      if (phase.strategy === 'fallback' && last) {
        renderer.note(last.exitCode === 0 ? `Succeeded with: ${last.processId}` : `Fallback failed: ${last.error}`);
      }
    }
  } catch (error) {
    io.stderr.write(problem(error));
    succeeded = false;
  } finally {
    release();
    board?.close();
  }
  // A summary that cannot be written (a full disk) is reported like any log file; the run ends normally.
  const summaryPath = await session
    .writeSummary(results, {
      command: options.command,
      items: options.items.length,
      exec: options.exec,
      interruptedBy: stoppedBy ?? null,
      ...(earlier ? { resumedFrom: earlier } : {}),
    })
    .catch(() => undefined);
  session.log(`exit: ${stoppedBy ?? (succeeded ? 'success' : 'failure')}`);
  await session.close();
  const logErrors = session.logErrors();
  if (stoppedBy === 'SIGPIPE') return EXIT.brokenPipe; // nobody is reading any more
  if (!options.json) io.stdout.write(`\n${summaryTable(results, color, redact)}${summaryFooter(aggregateResults(results))}${claudeTotalsLine(results)}`);
  const incomplete = logErrors.length > 0 ? ` (incomplete: ${logErrors.length} file(s) could not be written, see the errors above)` : '';
  renderer.note(`Logs: ${session.logDir}${incomplete}\nSummary: ${summaryPath ?? 'not written (see the error above)'}`);
  if (stoppedBy) return exitFor(stoppedBy);
  if (succeeded && logErrors.length > 0 && options.strictLogs) return EXIT.logsIncomplete;
  return succeeded ? EXIT.ok : EXIT.failed;
}
