/**
 * `orchestrate demo` on the bundled simulated agent (instant with SIM_AGENT_DELAY_MS=0): the
 * three phases, output passing, the fallback, the table and the summary.
 */
import { tempDirs } from '../helpers';
import { logRoot, onlySessionDir, printedLogDir, readSummary, runCli, tableRows, type CliOutcome } from './helpers';

const temp = tempDirs('orchestrate-');

let dir: string;
let outcome: CliOutcome;

beforeAll(async () => {
  dir = temp.make('demo');
  outcome = await runCli(['demo', '--working-dir', dir], { cwd: dir });
});

afterAll(() => temp.cleanup());

it('exits 0', () => {
  expect({ code: outcome.code, stderr: outcome.stderr }).toMatchObject({ code: 0 });
});

it('shows the three phase headings, in order', () => {
  const headings = outcome.stdout.split('\n').filter((line) => line.startsWith('== '));
  expect(headings).toEqual([
    '== Multi-agent parallel analysis (parallel, maxWorkers 3)',
    '== Sequential pipeline with output passing (sequential, passOutput, stopOnFailure)',
    '== Adaptive fallback (fallback: advanced -> standard -> basic)',
  ]);
});

it('passes outputs along the pipeline', () => {
  expect(outcome.stdout).toMatch(/^\[plan\]\s+Received 1 earlier output from process analyze\.$/m);
  expect(outcome.stdout).toMatch(/^\[implement\]\s+Received 2 earlier outputs from process analyze, plan\.$/m);
});

it('falls back from the unavailable model to standard, and never runs basic', () => {
  expect(outcome.stdout).toMatch(/^Succeeded with: standard$/m);
  expect(outcome.stdout).not.toMatch(/^\[basic\]/m);
  // In stream-json the CLI reports the API error as the assistant's text: it is shown as output.
  expect(outcome.stdout).toMatch(/^\[advanced\]\s+API Error: 529/m);
});

it("shows each run's cost and the Claude totals of the 8 runs, as in summary.json", () => {
  expect(outcome.stdout).toMatch(/^\[standard\]\s+done \(\d+\.\d s, \$0\.\d{4}\)$/m);
  const summary = readSummary(onlySessionDir(logRoot(dir)));
  expect(summary.claude).toMatchObject({ runs: 8, numTurns: 8 });
  const { usage, costUsd } = summary.claude!;
  expect(outcome.stdout).toContain(`Claude: 8 runs, $${costUsd.toFixed(4)}, 8 turns, ${usage.inputTokens} input / ${usage.outputTokens} output tokens\n`);
});

it('lists every process in the table: advanced failed, standard and the others ok', () => {
  const rows = tableRows(outcome.stdout);
  // The parallel phase lists its three in completion order; the later phases in run order.
  expect(rows.slice(0, 3).map((row) => row.id).sort()).toEqual(['maintainability', 'performance', 'security']);
  expect(rows.slice(3).map((row) => row.id)).toEqual(['analyze', 'plan', 'implement', 'advanced', 'standard']);
  const byId = new Map(rows.map((row) => [row.id, row]));
  expect(byId.get('advanced')).toMatchObject({ exit: 1, status: expect.stringMatching(/^failed: .*overloaded/i) });
  expect(byId.get('standard')).toMatchObject({ exit: 0, status: 'ok' });
  for (const id of ['security', 'performance', 'maintainability', 'analyze', 'plan', 'implement']) {
    expect(byId.get(id)).toMatchObject({ exit: 0, status: 'ok' });
  }
});

it('writes summary.json with the 8 results', () => {
  const session = onlySessionDir(logRoot(dir));
  expect(printedLogDir(outcome.stdout)).toBe(session);
  expect(session.split('/').pop()).toMatch(/^demo_/);
  const summary = readSummary(session);
  expect(summary.results).toHaveLength(8);
  expect(summary.counts).toMatchObject({ total: 8, succeeded: 7, failed: 1 });
  expect(summary.details).toMatchObject({ command: 'demo', interruptedBy: null });
  expect(new Set(summary.results.map((result) => result.processId))).toEqual(
    new Set(['security', 'performance', 'maintainability', 'analyze', 'plan', 'implement', 'advanced', 'standard']),
  );
});
