/**
 * The CLI as a new user finds it (issue 11, item 6), in process with real commands: --names,
 * the table in submission order, a start line per process when stdout is not a terminal,
 * --no-log, the log root's .gitignore, an API error printed once, table rows bounded to the
 * terminal, and no board on a terminal too narrow for one.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessEvent, ProcessResult } from '../../src/index';
import { boardRenderer, wantsBoard } from '../../src/cli/board';
import { humanRenderer, summaryTable } from '../../src/cli/render';
import { displayWidth } from '../../src/cli/text-width';
import { tempDirs } from '../helpers';
import { logRoot, tableRows } from './helpers';
import { runInProcess } from './in-process';

const temp = tempDirs('orchestrate-');
let dir: string;
beforeEach(() => {
  dir = temp.make('polish');
});
afterAll(() => temp.cleanup());

const cli = (...args: string[]) => runInProcess([...args, '--working-dir', dir]);

describe('--names and --name', () => {
  it('name the processes in the output, the table and the log files', async () => {
    const outcome = await cli('parallel', '--exec', '--names', 'lint,unit', 'true', 'true');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^\[lint\] +done/m);
    expect(tableRows(outcome.stdout).map((row) => row.id)).toEqual(['lint', 'unit']);
    const session = join(logRoot(dir), readdirSync(logRoot(dir)).find((name) => name !== '.gitignore') as string);
    expect(readdirSync(session)).toEqual(expect.arrayContaining(['lint.log', 'unit.log']));
    const repeated = await cli('sequential', '--exec', '--name', 'first', '--name', 'second', 'true', 'true');
    expect(tableRows(repeated.stdout).map((row) => row.id)).toEqual(['first', 'second']);
  });
});

it('the summary table lists the processes in submission order, not completion order', async () => {
  const outcome = await cli('parallel', '--exec', "sh -c 'sleep 0.4'", 'true', '--json');
  const ends = outcome.stdout.trim().split('\n').map((line) => JSON.parse(line) as ProcessEvent).filter((event) => event.type === 'result').map((event) => event.processId);
  expect(ends).toEqual(['process_002', 'process_001']);
  const human = await cli('parallel', '--exec', "sh -c 'sleep 0.4'", 'true');
  expect(tableRows(human.stdout).map((row) => row.id)).toEqual(['process_001', 'process_002']);
});

it('when stdout is not a terminal, a line per process start shows progress in a log (not with --json)', async () => {
  const outcome = await cli('sequential', '--exec', 'true', 'true');
  const starts = outcome.stdout.split('\n').filter((line) => /^\[process_00[12]\] started \(pid \d+\)$/.test(line));
  expect(starts).toHaveLength(2);
  const json = await cli('sequential', '--exec', 'true', '--json');
  expect(json.stdout).not.toContain('started (pid');
  for (const line of json.stdout.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
});

describe('logs', () => {
  it('--no-log writes nothing: no log root, no Logs line', async () => {
    const outcome = await cli('run', '--exec', '--no-log', 'true');
    expect(outcome.code).toBe(0);
    expect(tableRows(outcome.stdout)).toHaveLength(1);
    expect(outcome.stdout).not.toMatch(/^Logs: /m);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the default log root, when the CLI creates it, holds a .gitignore of *', async () => {
    await cli('run', '--exec', 'true');
    expect(readFileSync(join(logRoot(dir), '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('a log root that already exists, or one given with --log-dir, gets no .gitignore', async () => {
    mkdirSync(logRoot(dir), { recursive: true });
    await cli('run', '--exec', 'true');
    expect(existsSync(join(logRoot(dir), '.gitignore'))).toBe(false);
    await cli('run', '--exec', 'true', '--log-dir', join(dir, 'elsewhere'));
    expect(existsSync(join(dir, 'elsewhere', '.gitignore'))).toBe(false);
  });
});

describe('what is shown', () => {
  const failed = (error: string): ProcessResult => ({ processId: 'advanced', exitCode: 1, duration: 0.5, error, timedOut: false, cancelled: false }) as ProcessResult;

  it('an API error the process just printed is not printed again on its failure line', () => {
    let text = '';
    const renderer = humanRenderer({ write: (t: string) => (text += t) }, { write: (t: string) => (text += t) }, { color: false, quiet: false });
    const line = 'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
    renderer.event({ type: 'output', processId: 'advanced', stream: 'stdout', chunk: `${line}\n` } as ProcessEvent);
    renderer.event({ type: 'result', processId: 'advanced', result: failed(`Claude API error: ${line}`) } as ProcessEvent);
    expect(text.split(line)).toHaveLength(2);
    expect(text).toContain('[advanced] failed: exit 1 (the error is the line above)');
    // Another error is shown as it is.
    text = '';
    renderer.event({ type: 'result', processId: 'other', result: { ...failed('timed out after 5 s'), processId: 'other' } } as ProcessEvent);
    expect(text).toContain('failed: timed out after 5 s');
  });

  it('on a terminal, table rows are cut to its width', () => {
    const long = failed(`Claude API error: ${'x'.repeat(300)}`);
    const table = summaryTable([long, { ...long, processId: 'ok', exitCode: 0 }], false, undefined, 60);
    for (const row of table.trimEnd().split('\n')) expect(displayWidth(row)).toBeLessThanOrEqual(59);
    expect(table).toMatch(/^advanced +1 +0\.50 s {2}failed: Claude API error: x+…$/m);
    // Not on a terminal: whole rows (a log keeps the full error).
    expect(summaryTable([long], false)).toContain('x'.repeat(300));
  });

  it('a terminal of 0 columns gets no board, and a board never draws rows of … when the terminal shrinks to nothing', () => {
    const options = { json: false, quiet: false };
    expect(wantsBoard({ isTTY: true, columns: 0 }, {}, options)).toBe(false);
    expect(wantsBoard({ isTTY: true, columns: 100 }, {}, options)).toBe(true);
    let written = '';
    const stdout = { write: (text: string) => (written += text), columns: 0, rows: 24 };
    const board = boardRenderer(stdout, { write: () => undefined }, { color: false });
    board.heading(undefined, ['a']);
    board.event({ type: 'start', processId: 'a', pid: 1, at: Date.now() } as unknown as ProcessEvent);
    board.event({ type: 'output', processId: 'a', stream: 'stdout', chunk: 'working\n' } as ProcessEvent);
    board.close();
    expect(written).toContain('[a] working');
    expect(written).not.toContain('…');
  });
});
