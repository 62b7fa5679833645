/**
 * `orchestrate n-version|debate|cascade|panel`: the flags to the library's pattern function, its
 * events shown like any run (headings at each phase: rounds, levels, review), the summary table,
 * and the verdict last: in words, or with `--json` as one last line
 * `{"v":1,"type":"verdict","pattern":…,"verdict":…,"at":…}`. Exit 0 when the pattern reached a
 * decision, 1 when not, 2 for a usage error, 128+n when a signal stopped it.
 */
import { OrchestratorSession, type Observable, type PatternEvent, type SummaryEvent, type VerdictEvent } from './pattern-imports';
import { createRedactor, createStopper, openTailStart, OutputGate, secretValues, type Redactor } from '../toolkit';
import { boardRenderer, wantsBoard } from './board';
import { claudeTotalsLine } from './claude-summary';
import { EXIT, type CliIO, type CliOptions } from './cli-options';
import { summaryFooter } from './footer';
import { startPattern, type PatternSettings } from './pattern-start';
import { verdictWords } from './pattern-words';
import { humanRenderer, inertLines, jsonRenderer, redactingRenderer, summaryTable } from './render';
import { installSignals } from './signals';
import { startCliDashboard, type CliDashboard } from './dashboard-run';

export async function runPatternCli(options: CliOptions, io: CliIO): Promise<number> {
  const color = Boolean(io.stdout.isTTY) && !options.json && io.env.NO_COLOR === undefined;
  let redactor: Redactor = createRedactor(secretValues(io.env));
  const redact: Redactor = Object.assign((text: string) => redactor(text), { openTail: (text: string) => openTailStart(text, redactor) });
  // On a terminal, the live board (rows grouped under each phase's heading) with lines above it.
  const board = wantsBoard(io.stdout, io.env, options) ? boardRenderer(io.stdout, io.stderr, { color, raw: options.raw, redact }) : undefined;
  if (board) io = { ...io, stderr: board.stderr };
  const shown = options.json ? jsonRenderer(io.stdout, io.stderr, options.quiet) : humanRenderer(io.stdout, io.stderr, { color, quiet: options.quiet, raw: options.raw, startLines: !io.stdout.isTTY });
  const renderer = board ?? (!options.json || options.redact ? redactingRenderer(shown, redact) : { ...shown, note: (text: string) => shown.note(redact(text)) });
  const problem = (error: unknown): string => `orchestrate: ${inertLines(redact(error instanceof Error ? error.message : String(error)))}\n`;
  const stopper = createStopper();
  const running = new Set<string>();
  const signals = installSignals({ io, stopper, running: () => running.size });
  const gate = new OutputGate();
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
      redactor = session.redact;
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
