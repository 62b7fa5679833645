/**
 * Guarantee: under load, nothing is lost and the worker limit holds. Many small real processes
 * (a node program and an `sh` script, alternating; every seventh exits 3) run through one
 * OrchestratorSession with `runParallel`: every process reports exactly one result, every
 * process log is complete (all its lines and the end line) the moment `runParallel` resolves,
 * and no more than `maxWorkers` run at once, counted from the start and result events as they
 * pass.
 *
 * To prove the limit is reached as well as respected, every job first waits for a gate file; the
 * gate is created when the start/result count reaches `maxWorkers` (at which point no job can
 * have ended yet). So the peak is exactly `maxWorkers`, never more, whatever the machine's speed.
 *
 * Counts: 50 processes with maxWorkers 20 (past Node's 10-listener warning, more at once than
 * cores); with RXO_LONG_TESTS=1, 300 with maxWorkers 100.
 * Prints one line of figures (wall time, time until maxWorkers were running, peak).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tap } from 'rxjs';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import { runParallel } from '../../src/strategies/parallel';
import type { ProcessResult, RunOptions, Runnable } from '../../src/process/types';
import { childPids, fixture, LONG_TESTS as LONG, tempDirs, waitFor } from '../helpers';

const COUNT = LONG ? 300 : 50;
const MAX_WORKERS = LONG ? 100 : 20;
/** Lines each job prints on stdout (plus one on stderr). */
const LINES = 5;
/** Upper bound for the gate: if the count never reaches maxWorkers, open it anyway and fail. */
const GATE_DEADLINE_MS = 60_000;

const temp = tempDirs('rxo-guarantee-load-');
afterAll(() => temp.cleanup());

const idOf = (n: number): string => `load-${String(n).padStart(3, '0')}`;
const failing = (n: number): boolean => n % 7 === 0;
const exitCodeOf = (n: number): number => (failing(n) ? 3 : 0);

const SH_JOB =
  'until [ -e "$1" ]; do sleep 0.2; done; k=1; while [ "$k" -le "$3" ]; do echo "$2 line $k"; k=$((k+1)); done; ' +
  'echo "$2 err" >&2; exit "$4"';

interface LoadRun {
  readonly results: ProcessResult[];
  /** Log file contents read right after runParallel resolved, by process id. */
  readonly logsAtResolve: Map<string, string>;
  readonly peak: number;
  /** The running count when the gate opened (and whether it was the deadline that opened it). */
  readonly gate: { atCount: number; forced: boolean };
  readonly starts: Map<string, number>;
  readonly resultEvents: Map<string, number>;
  readonly sessionLog: string;
  readonly summary: { counts: Record<string, number>; results: ProcessResult[] };
  readonly logDir: string;
  readonly wallMs: number;
  readonly before: number[];
}

let run: LoadRun;

beforeAll(async () => {
  const dir = temp.make('session');
  const gateFile = join(dir, 'gate');
  const session = new OrchestratorSession({ patternName: 'load', workingDir: dir });
  const before = childPids();

  let running = 0;
  let peak = 0;
  const gate = { atCount: -1, forced: false };
  let gateOpenedAt = 0;
  const openGate = (forced: boolean): void => {
    if (gate.atCount >= 0) return;
    gate.atCount = running;
    gate.forced = forced;
    gateOpenedAt = Date.now();
    writeFileSync(gateFile, '');
  };
  const deadline = setTimeout(() => openGate(true), GATE_DEADLINE_MS);
  const starts = new Map<string, number>();
  const resultEvents = new Map<string, number>();

  // Each session process wrapped so its events are counted as they pass through the strategy.
  const processes: Runnable[] = [];
  for (let n = 1; n <= COUNT; n += 1) {
    const id = idOf(n);
    const job =
      n % 2 === 0
        ? session.createCommand(process.execPath, [fixture('guarantee2-load.js'), id, String(LINES), String(exitCodeOf(n)), gateFile], id)
        : session.createCommand('sh', ['-c', SH_JOB, 'sh', gateFile, id, String(LINES), String(exitCodeOf(n))], id);
    processes.push({
      processId: id,
      events: (options?: RunOptions) =>
        job.events(options).pipe(
          tap((event) => {
            if (event.type === 'start') {
              starts.set(id, (starts.get(id) ?? 0) + 1);
              running += 1;
              peak = Math.max(peak, running);
              if (running >= MAX_WORKERS) openGate(false);
            } else if (event.type === 'result') {
              resultEvents.set(id, (resultEvents.get(id) ?? 0) + 1);
              if (event.result.pid !== null) running -= 1;
            }
          }),
        ),
    });
  }

  const startedAt = Date.now();
  const results = await runParallel(processes, { maxWorkers: MAX_WORKERS });
  // Read every process log at once, before anything else can flush.
  const logsAtResolve = new Map<string, string>();
  for (let n = 1; n <= COUNT; n += 1) {
    const file = join(session.sessionDir, `${idOf(n)}.log`);
    logsAtResolve.set(idOf(n), existsSync(file) ? readFileSync(file, 'utf8') : '');
  }
  const wallMs = Date.now() - startedAt;
  clearTimeout(deadline);
  await session.writeSummary(results);
  await session.close();
  run = {
    results,
    logsAtResolve,
    peak,
    gate,
    starts,
    resultEvents,
    sessionLog: readFileSync(join(session.sessionDir, 'session.log'), 'utf8'),
    summary: JSON.parse(readFileSync(join(session.sessionDir, 'summary.json'), 'utf8')),
    logDir: session.sessionDir,
    wallMs,
    before,
  };
  // Figures for the report.
  process.stdout.write(`load: ${COUNT} processes, maxWorkers ${MAX_WORKERS}: ${wallMs} ms in all, ${gateOpenedAt - startedAt} ms to ${MAX_WORKERS} running, peak ${peak}\n`);
}, LONG ? 300_000 : 120_000);

describe(`${COUNT} real processes through one session with runParallel (maxWorkers ${MAX_WORKERS})`, () => {
  it('reports exactly one result per process: every id once, none missing, none extra', () => {
    expect(run.results).toHaveLength(COUNT);
    const ids = run.results.map((result) => result.processId);
    expect(new Set(ids).size).toBe(COUNT);
    expect([...ids].sort()).toEqual(Array.from({ length: COUNT }, (_, i) => idOf(i + 1)));
    for (let n = 1; n <= COUNT; n += 1) {
      expect({ id: idOf(n), starts: run.starts.get(idOf(n)), results: run.resultEvents.get(idOf(n)) }).toEqual({
        id: idOf(n),
        starts: 1,
        results: 1,
      });
    }
  });

  it('gives each result its own exit code and full output (failures included, siblings unaffected)', () => {
    for (const result of run.results) {
      const n = Number(result.processId.slice('load-'.length));
      const id = result.processId;
      expect({ id, exitCode: result.exitCode, reason: result.reason }).toEqual({ id, exitCode: exitCodeOf(n), reason: 'exit' });
      expect(result.output).toBe(Array.from({ length: LINES }, (_, k) => `${id} line ${k + 1}\n`).join(''));
      expect(result.stderr).toBe(`${id} err\n`);
      expect(result.truncated).toBeNull();
    }
    const failures = run.results.filter((result) => result.exitCode !== 0).length;
    expect(failures).toBe(Array.from({ length: COUNT }, (_, i) => i + 1).filter(failing).length);
  });

  it('has every process log complete on disk when runParallel resolves: each line, then the end line', () => {
    for (let n = 1; n <= COUNT; n += 1) {
      const id = idOf(n);
      const lines = run.logsAtResolve.get(id)!.trimEnd().split('\n');
      const messages = lines.map((line) => line.replace(/^\S+ \S+\s+/, '')); // drop timestamp and level
      expect(messages[0]).toBe(`process ${JSON.stringify(id)}`);
      const stdout = messages.filter((message) => message.startsWith('stdout | '));
      expect(stdout).toEqual(Array.from({ length: LINES }, (_, k) => `stdout | ${id} line ${k + 1}`));
      expect(messages.filter((message) => message.startsWith('stderr | '))).toEqual([`stderr | ${id} err`]);
      const end = failing(n)
        ? new RegExp(`^ended: failed \\(exit\\), exit code 3, \\d+\\.\\d{3} s: exited with code 3: ${id} err$`)
        : /^ended: succeeded \(exit\), exit code 0, \d+\.\d{3} s$/;
      expect(messages[messages.length - 1]).toMatch(end);
    }
  });

  it(`never runs more than ${MAX_WORKERS} at once, and does reach ${MAX_WORKERS}`, () => {
    expect(run.gate).toEqual({ atCount: MAX_WORKERS, forced: false });
    expect(run.peak).toBe(MAX_WORKERS);
  });

  it('records every run in session.log and summary.json, with one log file per process', () => {
    for (let n = 1; n <= COUNT; n += 1) {
      expect(run.sessionLog).toMatch(new RegExp(`${idOf(n)}: exit code ${exitCodeOf(n)} in `));
    }
    expect(run.summary.counts).toMatchObject({ total: COUNT, succeeded: COUNT - run.results.filter((r) => r.exitCode !== 0).length });
    expect(new Set(run.summary.results.map((result) => result.processId)).size).toBe(COUNT);
    const logs = readdirSync(run.logDir).filter((name) => name.startsWith('load-'));
    expect(logs).toHaveLength(COUNT);
  });

  it('leaves no child process of the host behind', async () => {
    await waitFor(() => childPids().filter((pid) => !run.before.includes(pid)).length === 0, 'no new child of the host is alive', 10_000);
  });
});
