/**
 * One CLI invocation: check the flags, build the plan, hand it to `orchestrate`, and show what it
 * emits (live lines or the board, or `--json`), then the summary table; decide the exit code.
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
import { dirname } from 'node:path';
import { OrchestratorSession, type PendingWork } from '../index';
import { autoMaxWorkers } from '../toolkit';
import { cliPlan, phaseOptions, sessionOptions } from './cli-plan';
import { checkCliOptions } from './check-options';
import { EXIT, type CliIO, type CliOptions } from './cli-options';
import { inertLines, summaryTable } from './render';
import { claudeTotalsLine } from './claude-summary';
import { workspaceLines } from './workspace-flags';
import { summaryFooter } from './footer';
import { ignoreNewLogRoot } from './log-root';
import { prepareResume, sessionDirectory } from './resume';
import { runPlan } from './run-plan';
import { frontEnd } from './front-end';
import { startCliDashboard, type CliDashboard } from './dashboard-run';
import { isPatternCommand } from './pattern-flags';
import { runPatternCli } from './pattern-command';
import { clusterBuild } from './cluster-flags';

export { EXIT, type CliIO, type CliOptions } from './cli-options';

/** The last line of a usage error: where the command's flags are explained. */
function usageHint(options: CliOptions): string {
  return `Run 'orchestrate ${options.command} --help' for usage.\n`;
}

export async function runCli(options: CliOptions, io: CliIO): Promise<number> {
  if (isPatternCommand(options.command)) return runPatternCli(options, io);
  const front = frontEnd(options, io);
  const { color, redact, board, gate, renderer, problem, stopper, running, signals } = front;
  io = front.io;

  let session: OrchestratorSession | undefined;
  let work: PendingWork | undefined;
  let earlier: string | undefined;
  let maxWorkers: number | undefined;
  let auto: ReturnType<typeof autoMaxWorkers> | undefined;
  let live: CliDashboard | undefined;
  let build: Awaited<ReturnType<typeof clusterBuild>> | undefined;
  try {
    if (options.cluster) build = await clusterBuild(options.cluster, io.env, (text) => io.stderr.write(`orchestrate: ${text}\n`));
  } catch (error) {
    board?.close();
    io.stderr.write(problem(error));
    return signals.release(error instanceof Error && error.name === 'ClusterConnectionError' ? EXIT.failed : EXIT.usage);
  }
  try {
    checkCliOptions(options);
    // `--max-workers auto` is resolved once, here, so the run uses the number shown.
    auto = options.maxWorkers === 'auto' ? autoMaxWorkers() : undefined;
    maxWorkers = typeof options.maxWorkers === 'number' ? options.maxWorkers : auto?.workers;
    // resume: the earlier session decides the processes, strategies and working directory.
    if (options.command === 'resume') {
      const prepared = await prepareResume({
        reference: options.items[0],
        workingDir: options.workingDir,
        logRoot: options.logRoot,
        flags: options.resumeFlags ?? {},
        env: io.env,
        interactive: Boolean(io.stdin?.isTTY && io.stdout.isTTY),
        stdin: io.stdin,
        stderr: io.stderr,
        note: (text) => renderer.note(text),
        signal: stopper.signal,
      });
      if (signals.stoppedBy) return signals.release(signals.exitCode());
      if (typeof prepared === 'string') return signals.release(prepared === 'stale' ? EXIT.stale : prepared === 'declined' ? EXIT.failed : EXIT.usage);
      work = prepared;
      earlier = work.sessionDir;
      if (work.pending.length === 0) {
        renderer.note(`Nothing to resume: every planned process of ${work.sessionDir} succeeded.`);
        return signals.release(EXIT.ok);
      }
    } else if (options.resumeFailed !== undefined) {
      earlier = sessionDirectory(options.resumeFailed, options.workingDir, options.logRoot);
    }
    const logRoot = options.logRoot ?? (work ? dirname(work.sessionDir) : undefined);
    if (options.log !== false) {
      const ignore = logRoot === undefined ? ignoreNewLogRoot(options.workingDir) : () => undefined;
      session = new OrchestratorSession({
        ...sessionOptions(options, work, logRoot),
        onLogError: (error) => io.stderr.write(`orchestrate: ${inertLines(redact(error.message))}; logs incomplete\n`),
        // One gate for the terminal and the log files: a full stdout or a slow disk pauses the children.
        outputGate: gate,
      });
      front.useRedactor(session.redact);
      ignore();
    }
    // The web dashboard (issue 15): up before the run, redacted like the screen.
    if (options.dashboard) live = await startCliDashboard(options.dashboard, { stderr: io.stderr, redact, control: stopper });
  } catch (error) {
    board?.close();
    io.stderr.write(`${problem(error)}${usageHint(options)}`);
    return signals.release(EXIT.usage);
  }

  const outcome = await runPlan({
    plan: () => cliPlan(options, phaseOptions(options, maxWorkers), work),
    orchestrate: {
      session: session ?? { ...sessionOptions(options, work, undefined), outputGate: gate },
      log: session !== undefined,
      signal: stopper.signal,
      forceSignal: stopper.forceSignal,
      outputGate: gate,
      ...(build ? { build } : {}),
      outputFilter: options.filter,
      details: { command: options.command, items: options.items.length, exec: options.exec },
      ...(work ? { resumedFrom: earlier } : earlier ? { resumeFailed: earlier } : {}),
    },
    renderer,
    running,
    onEvent: live?.push,
    notes: {
      resumed: options.command !== 'resume',
      auto,
    },
  });
  signals.release(0);
  board?.close();
  if (outcome.kind === 'setup-error') {
    await live?.close();
    await session?.close();
    io.stderr.write(`${problem(outcome.error)}${usageHint(options)}`);
    return EXIT.usage;
  }
  const { summary } = outcome;
  if (summary?.error) io.stderr.write(problem(summary.error));
  if (outcome.kind === 'error') io.stderr.write(problem(outcome.error));
  await session?.close();
  const logErrors = session?.logErrors() ?? [];
  const stoppedBy = signals.stoppedBy;
  if (stoppedBy === 'SIGPIPE') {
    await live?.close();
    return EXIT.brokenPipe; // nobody is reading any more
  }
  if (!options.json && summary) io.stdout.write(`\n${summaryTable(summary.results, color, redact, io.stdout.isTTY ? (io.stdout as { columns?: number }).columns : undefined)}${summaryFooter(summary.aggregate)}${claudeTotalsLine(summary.results)}${workspaceLines(summary.results)}`);
  if (session) {
    const incomplete = logErrors.length > 0 ? ` (incomplete: ${logErrors.length} file(s) could not be written, see the errors above)` : '';
    renderer.note(`Logs: ${session.sessionDir}${incomplete}\nSummary: ${summary?.summaryPath ?? 'not written (see the error above)'}`);
  }
  await live?.finish({ serveOn: stoppedBy === undefined, tty: Boolean(io.stdout.isTTY) });
  if (stoppedBy) return signals.exitCode();
  const succeeded = outcome.kind === 'done' && summary !== undefined && summary.succeeded;
  if (succeeded && logErrors.length > 0 && options.strictLogs) return EXIT.logsIncomplete;
  return succeeded ? EXIT.ok : EXIT.failed;
}
