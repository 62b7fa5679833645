/**
 * One CLI invocation, on top of the public API: validate, open a session, run the phase(s) with
 * live output, then write the summary and decide the exit code.
 *
 * Exit codes: 0 the strategy succeeded, 1 it did not, 2 usage error, 130 interrupted (Ctrl-C),
 * 141 stdout closed by its reader (as `| head` does), 143 terminated (SIGTERM).
 */
import { OrchestratorSession, simulatedAgentPath, type ProcessResult, type Runnable } from '../index';
import { demoPhases, type Phase } from './demo';
import { boardRenderer, wantsBoard } from './board';
import { humanRenderer, jsonRenderer, summaryTable, type Output, type Renderer } from './render';
import { runStrategy, strategyOperator, strategySucceeded, type StrategyName, type StrategySettings } from './run-strategy';
import { splitCommand } from './split-command';

export interface CliOptions {
  readonly command: StrategyName | 'demo';
  /** Prompts, or with `exec` command lines. */
  readonly items: readonly string[];
  readonly maxWorkers?: number;
  readonly batchSize?: number;
  readonly passOutput: boolean;
  readonly stopOnFailure: boolean;
  readonly model?: string;
  readonly timeout?: number;
  readonly workingDir: string;
  readonly logDir?: string;
  /** The Claude executable; for `demo`, the simulated agent unless given. */
  readonly claudeCommand?: string;
  readonly exec: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  // Live board and output filtering (issue 6)
  /** The live status board on a terminal (`--no-board`: prefixed lines only). @default true */
  readonly board?: boolean;
  /** Only output lines matching it are shown live (`--filter`). @default none */
  readonly filter?: RegExp;
}

export interface CliIO {
  readonly stdout: Output & { readonly isTTY?: boolean; on?(event: 'error', listener: (error: Error) => void): unknown; off?(event: 'error', listener: (error: Error) => void): unknown };
  readonly stderr: Output;
  readonly env: NodeJS.ProcessEnv;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130, brokenPipe: 141, terminated: 143 } as const;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function buildPhases(options: CliOptions, session: OrchestratorSession, settings: StrategySettings): Phase[] {
  if (options.command === 'demo') return demoPhases(session, settings);
  const processes: Runnable[] = options.items.map((item) => {
    if (!options.exec) return session.createProcess(item);
    const [program, ...args] = splitCommand(item);
    return session.createCommand(program, args);
  });
  return [{ title: options.command, strategy: options.command, processes, settings }];
}

export async function runCli(options: CliOptions, io: CliIO): Promise<number> {
  const color = Boolean(io.stdout.isTTY) && !options.json && io.env.NO_COLOR === undefined;
  // Live board (issue 6): on a terminal, a status board under the scrolling lines; while it is
  // up, messages to stderr go through it so they never break it.
  const board = wantsBoard(io.stdout, io.env, options) ? boardRenderer(io.stdout, io.stderr, { color }) : undefined;
  if (board) io = { ...io, stderr: board.stderr };
  const renderer: Renderer =
    board ??
    (options.json ? jsonRenderer(io.stdout, io.stderr, options.quiet) : humanRenderer(io.stdout, io.stderr, { color, quiet: options.quiet }));
  const controller = new AbortController();
  const settings: StrategySettings = {
    maxWorkers: options.maxWorkers,
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
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  io.stdout.on?.('error', onStdoutError);

  let session: OrchestratorSession;
  let phases: Phase[];
  try {
    if (options.command !== 'demo') strategyOperator(options.command, settings);
    if (options.exec) options.items.forEach(splitCommand);
    session = new OrchestratorSession({
      patternName: options.command === 'demo' ? 'demo' : `cli-${options.command}`,
      workingDir: options.workingDir,
      logRoot: options.logDir,
      model: options.model,
      command: options.claudeCommand ?? (options.command === 'demo' ? simulatedAgentPath : undefined),
    });
    phases = buildPhases(options, session, settings);
  } catch (error) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    io.stderr.write(`orchestrate: ${message(error)}\n`);
    return EXIT.usage;
  }

  const results: ProcessResult[] = [];
  let succeeded = true;
  try {
    for (const phase of phases) {
      if (controller.signal.aborted) break;
      renderer.heading(phases.length > 1 ? phase.title : undefined, phase.processes.map((p) => p.processId));
      const phaseResults = await runStrategy(phase.strategy, phase.processes, phase.settings, renderer, running);
      results.push(...phaseResults);
      succeeded = strategySucceeded(phase.strategy, phaseResults) && succeeded;
      const last = phaseResults[phaseResults.length - 1];
      if (phase.strategy === 'fallback' && last) {
        renderer.note(last.exitCode === 0 ? `Succeeded with: ${last.processId}` : `Fallback failed: ${last.error}`);
      }
    }
  } catch (error) {
    io.stderr.write(`orchestrate: ${message(error)}\n`);
    succeeded = false;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    board?.close();
  }
  const summaryPath = await session.writeSummary(results, {
    command: options.command,
    items: options.items.length,
    exec: options.exec,
    interruptedBy: stoppedBy ?? null,
  });
  session.log(`exit: ${stoppedBy ?? (succeeded ? 'success' : 'failure')}`);
  await session.close();
  if (stoppedBy === 'SIGPIPE') return EXIT.brokenPipe; // nobody is reading any more
  if (!options.json) io.stdout.write(`\n${summaryTable(results, color)}`);
  renderer.note(`Logs: ${session.logDir}\nSummary: ${summaryPath}`);
  if (stoppedBy) return stoppedBy === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  return succeeded ? EXIT.ok : EXIT.failed;
}
