/**
 * What the CLI prints: live lines prefixed with the process id, the summary table, colour only on
 * a terminal (checked under a real node-pty terminal), `--json` events only, `--quiet`. Off a
 * terminal the CLI runs in this process (`cli(argv, io)`, stdout not a TTY); the agents and
 * commands it starts are real processes.
 */
import * as pty from 'node-pty';
import type { ProcessEvent, ResultEvent } from '../../src/process/types';
import { isClaudeEvent } from '../../src/agents/claude/events';
import { tempDirs } from '../helpers';
import {
  AGENT,
  CLI,
  destroyRunning,
  printedLogDir,
  readSummary,
  runCliInProcess,
  summaryOf,
  tableRows,
  type CliOutcome,
} from './helpers';

const temp = tempDirs('orchestrate-');

const ESC = '\x1b[';

let dir: string;

beforeEach(() => {
  dir = temp.make('output');
});

afterEach(destroyRunning);
afterAll(() => temp.cleanup());

function cli(...args: string[]): Promise<CliOutcome> {
  return runCliInProcess([...args, '--working-dir', dir]);
}

/** Runs the CLI on a real pseudo-terminal and returns everything it showed there, and its exit code. */
function runOnTerminal(args: string[], env: Record<string, string> = {}): Promise<{ code: number; text: string }> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') base[key] = value;
  }
  return new Promise((resolve) => {
    const term = pty.spawn(process.execPath, [CLI, ...args, '--working-dir', dir], {
      name: 'xterm-256color',
      cols: 120,
      rows: 40,
      cwd: dir,
      env: { ...base, SIM_AGENT_DELAY_MS: '0', ...env },
    });
    let text = '';
    const data = term.onData((chunk) => (text += chunk));
    const exit = term.onExit(({ exitCode }) => {
      data.dispose();
      exit.dispose();
      resolve({ code: exitCode, text });
    });
  });
}

describe('prompt mode on the simulated agent', () => {
  let outcome: CliOutcome;

  beforeAll(async () => {
    dir = temp.make('output');
    outcome = await cli('parallel', '--command', AGENT, '--model', 'sim-test', 'Review the parser.', 'Review the tests.');
  });

  it('exits 0 and shows each reply live, line by line, prefixed with its process id', () => {
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^\[process_001\] Task: Review the parser\.$/m);
    expect(outcome.stdout).toMatch(/^\[process_002\] Task: Review the tests\.$/m);
    expect(outcome.stdout).toMatch(/^\[process_001\] \(prompt: 18 bytes, model: sim-test\)$/m);
    // Claude runs add their cost to the status line.
    expect(outcome.stdout).toMatch(/^\[process_001\] done \(\d+\.\d s, \$\d+\.\d{4}\)$/m);
    expect(outcome.stdout).toMatch(/^\[process_002\] done \(\d+\.\d s, \$\d+\.\d{4}\)$/m);
    // Every reply line is shown whole, under its own prefix.
    const results = summaryOf(outcome).results;
    for (const result of results) {
      for (const line of result.output.trimEnd().split('\n')) {
        expect(outcome.stdout.split('\n')).toContain(`[${result.processId}] ${line}`);
      }
    }
  });

  it('ends with the summary table: ID EXIT DURATION STATUS, one row per process', () => {
    expect(outcome.stdout).toMatch(/^ID\s+EXIT\s+DURATION\s+STATUS$/m);
    const rows = tableRows(outcome.stdout);
    expect(rows.map((row) => [row.id, row.exit, row.status])).toEqual(
      expect.arrayContaining([
        ['process_001', 0, 'ok'],
        ['process_002', 0, 'ok'],
      ]),
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.duration).toMatch(/^\d+\.\d\d s$/);
    expect(outcome.stdout).toMatch(/^Logs: \S+$/m);
    expect(outcome.stdout).toMatch(/^Summary: \S+summary\.json$/m);
  });

  it('uses no ANSI escape codes when stdout is not a terminal', () => {
    expect(outcome.stdout).not.toContain(ESC);
    expect(outcome.stderr).not.toContain(ESC);
  });
});

describe('on a terminal', () => {
  it('colours the prefixes, the statuses and the table', async () => {
    const { code, text } = await runOnTerminal(['parallel', '--exec', 'echo one', 'sh -c "exit 3"']);
    expect(code).toBe(1);
    expect(text).toContain(ESC);
    expect(text).toContain('\x1b[36m[process_001]\x1b[0m one');
    expect(text).toMatch(/\x1b\[1mID\s+EXIT\s+DURATION\s+STATUS\x1b\[0m/);
    expect(text).toMatch(/\x1b\[31mprocess_002\s+3\s+/);
  });

  it('does not colour when NO_COLOR is set', async () => {
    // --no-board: the live board moves the cursor (escape sequences, though no colour); its own
    // NO_COLOR check is in board.spec.ts.
    const { code, text } = await runOnTerminal(['run', '--exec', 'echo one', '--no-board'], { NO_COLOR: '1' });
    expect(code).toBe(0);
    expect(text).toContain('[process_001] one');
    expect(text).not.toContain(ESC);
  });
});

describe('--json', () => {
  it('prints only ProcessEvents, one JSON object a line, matching the results', async () => {
    const outcome = await cli('parallel', '--json', '--command', AGENT, '--model', 'sim-test', 'First task.', 'Second task.');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout.endsWith('\n')).toBe(true);
    const lines = outcome.stdout.slice(0, -1).split('\n');
    const events = lines.map((line) => JSON.parse(line) as ProcessEvent);
    for (const event of events) {
      expect(['start', 'output', 'agent', 'result']).toContain(event.type);
      expect(typeof event.processId).toBe('string');
      if (event.type === 'start') expect(event.pid).toEqual(expect.any(Number));
      if (event.type === 'output') expect(event.chunk).toEqual(expect.any(String));
      if (event.type === 'result') expect(event.result.processId).toBe(event.processId);
      if (isClaudeEvent(event)) expect(['init', 'text', 'result']).toContain(event.event.kind);
    }
    for (const id of ['process_001', 'process_002']) {
      const mine = events.filter((event) => event.processId === id);
      expect(mine[0].type).toBe('start');
      expect(mine[mine.length - 1].type).toBe('result');
      expect(mine.filter((event) => event.type === 'result')).toHaveLength(1);
      const streamed = mine.map((event) => (event.type === 'output' ? event.chunk : '')).join('');
      const result = (mine[mine.length - 1] as ResultEvent).result;
      expect(result.output).toBe(streamed);
      expect(result.output).toContain('model: sim-test');
    }
    // The notes go to stderr, so stdout stays pure; the summary holds the same results.
    const summary = readSummary(printedLogDir(outcome.stderr));
    const fromEvents = events
      .filter((event): event is ResultEvent => event.type === 'result')
      .map((event) => event.result)
      .sort((a, b) => a.processId.localeCompare(b.processId));
    const fromSummary = [...summary.results].sort((a, b) => a.processId.localeCompare(b.processId));
    expect(fromSummary).toEqual(fromEvents);
  });

  it('reports a failure as a result event and exits 1', async () => {
    const outcome = await cli('run', '--json', '--exec', 'sh -c "echo oops >&2; exit 3"');
    expect(outcome.code).toBe(1);
    const events = outcome.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as ProcessEvent);
    expect(events.map((event) => event.type)).toEqual(['start', 'output', 'result']);
    expect(events[1]).toMatchObject({ type: 'output', stream: 'stderr', chunk: 'oops\n' });
    expect(events[2]).toMatchObject({ type: 'result', result: { exitCode: 3, stderr: 'oops\n' } });
  });

  it('with --quiet prints the events and nothing on stderr', async () => {
    const outcome = await cli('run', '--json', '--quiet', '--exec', 'echo hi');
    expect(outcome.code).toBe(0);
    const events = outcome.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as ProcessEvent);
    expect(events.map((event) => event.type)).toEqual(['start', 'output', 'result']);
    expect(outcome.stderr).toBe('');
  });
});

describe('--quiet', () => {
  it('shows no live lines but still the summary table', async () => {
    const outcome = await cli('parallel', '--quiet', '--command', AGENT, 'One.', 'Two.');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).not.toMatch(/^\[process_/m);
    expect(outcome.stderr).not.toMatch(/^\[process_/m);
    expect(tableRows(outcome.stdout).map((row) => [row.id, row.status])).toEqual(
      expect.arrayContaining([
        ['process_001', 'ok'],
        ['process_002', 'ok'],
      ]),
    );
    expect(summaryOf(outcome).results.every((result) => result.output.startsWith('Task: '))).toBe(true);
  });

  it('-q is the same, and a failure still shows in the table', async () => {
    const outcome = await cli('run', '-q', '--exec', 'sh -c "echo visible; exit 3"');
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).not.toContain('visible');
    expect(tableRows(outcome.stdout)).toEqual([expect.objectContaining({ id: 'process_001', exit: 3 })]);
  });
});

describe('stderr of a process', () => {
  it('goes to the CLI stderr, prefixed, in human mode', async () => {
    const outcome = await cli('run', '--exec', 'sh -c "echo to-out; echo to-err >&2"');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^\[process_001\] to-out$/m);
    expect(outcome.stderr).toMatch(/^\[process_001\] to-err$/m);
    expect(outcome.stdout).not.toContain('to-err');
  });
});
