/**
 * `orchestrate n-version|debate|cascade|panel`: the flags to the library's pattern function, its
 * events shown like any run (headings at each phase: rounds, levels, review), the summary table,
 * and the verdict last: in words, or with `--json` as one last line
 * `{"v":1,"type":"verdict","pattern":…,"verdict":…,"at":…}`. Exit 0 when the pattern reached a
 * decision, 1 when not, 2 for a usage error, 128+n when a signal stopped it.
 */
import { OrchestratorSession, type Observable, type PatternEvent, type SummaryEvent, type VerdictEvent } from './pattern-imports';
import { claudeTotalsLine } from './claude-summary';
import { EXIT, type CliIO, type CliOptions } from './cli-options';
import { summaryFooter } from './footer';
import { startPattern, type PatternSettings } from './pattern-start';
import { verdictWords } from './pattern-words';
import { inertLines, summaryTable } from './render';
import { frontEnd } from './front-end';
import { startCliDashboard, type CliDashboard } from './dashboard-run';

export async function runPatternCli(options: CliOptions, io: CliIO): Promise<number> {
  // The same front end as the strategy commands: redaction, the board, the output gate (a reader
  // that stops reading holds the agents' output back), the renderer, the signals.
  const front = frontEnd(options, io);
  const { color, redact, board, gate, renderer, problem, stopper, running, signals } = front;
  io = front.io;
  let session: OrchestratorSession | undefined;
  let events$: Observable<PatternEvent>;
  let live: CliDashboard | undefined;
  try {
    const settings: PatternSettings = { signal: stopper.signal, forceSignal: stopper.forceSignal, outputGate: gate };
    if (options.log !== false) {
      session = new OrchestratorSession({
        patternName: options.command, cwd: options.workingDir, logRoot: options.logRoot, model: options.model, retry: options.retry,
        command: options.claudeCommand, claudeOptions: options.claude, outputGate: gate,
        onLogError: (error) => io.stderr.write(`orchestrate: ${inertLines(redact(error.message))}; logs incomplete\n`),
      });
      front.useRedactor(session.redact);
    }
    events$ = startPattern(options, { ...settings, ...(session ? { session } : {}) });
    // --dashboard (issue 15): the same page as for a strategy run; phases (rounds, levels) are its groups.
    if (options.dashboard) live = await startCliDashboard(options.dashboard, { stderr: io.stderr, redact, control: stopper });
  } catch (error) {
    board?.close();
    await live?.close();
    await session?.close();
    io.stderr.write(`${problem(error)}Run 'orchestrate ${options.command} --help' for usage.\n`);
    return signals.release(EXIT.usage);
  }
  let summary: SummaryEvent | undefined;
  let verdict: VerdictEvent | undefined;
  let phases = 0;
  const failure = await new Promise<unknown>((resolve) => {
    events$.subscribe({
      next(event) {
        live?.push(event);
        if (event.type === 'plan-start') phases = event.phases.length;
        else if (event.type === 'phase-start') renderer.heading(phases > 1 ? event.phase.name : undefined, event.phase.processIds);
        else if (event.type === 'summary') summary = event;
        else if (event.type === 'verdict') verdict = event;
        else if (event.type !== 'phase-end') {
          if (event.type === 'start') running.add(event.processId);
          else if (event.type === 'result') running.delete(event.processId);
          renderer.event(event);
        }
      },
      error: resolve,
      complete: () => resolve(undefined),
    });
  });
  signals.release(0);
  board?.close();
  await session?.close();
  if (failure !== undefined) io.stderr.write(problem(failure));
  if (signals.stoppedBy === 'SIGPIPE') return EXIT.brokenPipe;
  if (summary && !options.json) {
    const columns = io.stdout.isTTY ? (io.stdout as { columns?: number }).columns : undefined;
    io.stdout.write(`\n${summaryTable(summary.results, color, redact, columns)}${summaryFooter(summary.aggregate)}${claudeTotalsLine(summary.results)}`);
  }
  if (session) renderer.note(`Logs: ${session.sessionDir}\nSummary: ${summary?.summaryPath ?? 'not written'}`);
  if (verdict) {
    const line = options.json
      ? `${JSON.stringify({ v: 1, type: 'verdict', pattern: verdict.pattern, verdict: verdict.verdict, at: verdict.at })}\n`
      : `\n${verdictWords(verdict.pattern, verdict.verdict)}`;
    io.stdout.write(options.json && !options.redact ? line : redact(line));
  }
  await live?.finish({ serveOn: signals.stoppedBy === undefined, tty: Boolean(io.stdout.isTTY) });
  if (signals.stoppedBy) return signals.exitCode();
  return verdict?.verdict.decided ? EXIT.ok : EXIT.failed;
}
