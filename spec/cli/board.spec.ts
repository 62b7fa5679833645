/**
 * The live board, through a real terminal: the built CLI runs under node-pty and its output goes
 * through a headless terminal emulator; the specs read the SCREEN. The processes are fixtures that
 * block until a file exists, so the test decides when each one ends (no timing luck).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, tempDirs } from '../helpers';
import { destroyTerminals, TerminalScreen } from './terminal-screen';

const temp = tempDirs('rxo-board-');
/** Gate files of the current test: all created in afterEach, so no fixture is left waiting. */
const gates: string[] = [];

afterEach(async () => {
  for (const gate of gates.splice(0)) writeFileSync(gate, '');
  await destroyTerminals();
});
afterAll(() => temp.cleanup());

/** An --exec command line: prints a line, then a partial line, waits for `gate`, ends the line, exits `code`. */
function gated(dir: string, name: string, code = 0): { command: string; gate: string } {
  const gate = join(dir, `gate-${name}`);
  gates.push(gate);
  const args = ['--out', `${name} starting\n`, '--out', `${name} compiling module 7`, '--wait', gate, '--out', `\n${name} finished\n`, '--code', String(code)];
  return { command: [process.execPath, fixture('gated-output.js'), ...args].map((word) => `'${word}'`).join(' '), gate };
}

const ROW = (id: string, line: string): RegExp => new RegExp(`^running ${id} +\\d+\\.\\ds  ${line}$`);
const isBoardRow = (row: string): boolean => /^running process_\d{3} /.test(row) || row.startsWith('── ');
const footer = (rows: string[]): string => rows.find((row) => row.startsWith('── ')) ?? '';

describe('the live board on a terminal', () => {
  it('shows a row per running process and a footer; finished ones scroll above; at the end only the summary', async () => {
    const dir = temp.make('main');
    const [a, b, c] = [gated(dir, 'alpha'), gated(dir, 'beta', 3), gated(dir, 'gamma')];
    const screen = new TerminalScreen(['parallel', '--exec', a.command, b.command, c.command, '--max-workers', '2', '--working-dir', dir], { cwd: dir, cols: 100, rows: 30 });

    let rows = await screen.waitForScreen(
      (r) => r.some((row) => ROW('process_001', 'alpha compiling module 7').test(row)) && r.some((row) => ROW('process_002', 'beta compiling module 7').test(row)),
      'alpha and beta run on the board',
    );
    expect(footer(rows)).toMatch(/^── 2 running · 1 queued · 0 succeeded · 0 failed · \d+\.\ds elapsed · ETA \?$/);
    expect(rows.filter(isBoardRow)).toHaveLength(3);
    // The live lines scroll above the board, as without it.
    expect(rows).toContain('[process_001] alpha starting');
    expect(rows).toContain('[process_002] beta starting');
    expect(screen.cursorShown()).toBe(false);

    // Nothing happens, yet the elapsed time moves.
    const elapsedOf = (r: string[]): number => Number(/^running process_001 +(\d+\.\d)s/.exec(r.find((row) => row.startsWith('running process_001')) ?? '')?.[1] ?? NaN);
    const before = elapsedOf(rows);
    rows = await screen.waitForScreen((r) => elapsedOf(r) > before, 'the elapsed time of alpha moves on');

    writeFileSync(a.gate, '');
    rows = await screen.waitForScreen((r) => r.some((row) => ROW('process_003', 'gamma compiling module 7').test(row)) && footer(r).includes('1 succeeded'), 'alpha ends and gamma runs');
    expect(rows.some((row) => row.startsWith('running process_001'))).toBe(false);
    expect(rows).toContain('[process_001] alpha finished');
    expect(rows.some((row) => /^\[process_001\] done \(\d+\.\d s\)$/.test(row))).toBe(true);
    expect(footer(rows)).toMatch(/^── 2 running · 0 queued · 1 succeeded · 0 failed · \d+\.\ds elapsed · ETA \d+\.\ds$/);
    // The board sits under everything printed: its rows are the last non-empty rows.
    const filled = rows.filter((row) => row !== '');
    expect(filled.slice(-3).every(isBoardRow)).toBe(true);

    writeFileSync(b.gate, '');
    writeFileSync(c.gate, '');
    const { exitCode } = await screen.exit;
    expect(exitCode).toBe(1);
    const all = await screen.allRows();
    expect(all.filter(isBoardRow)).toEqual([]);
    const header = all.findIndex((row) => /^ID\s+EXIT\s+DURATION\s+STATUS$/.test(row));
    expect(header).toBeGreaterThan(0);
    // Completion order: beta and gamma were released together.
    expect(all.slice(header + 1, header + 4).map((row) => row.split(/\s+/).slice(0, 2).join(' ')).sort()).toEqual(['process_001 0', 'process_002 3', 'process_003 0']);
    expect(all.some((row) => /^\[process_002\] failed: exited with code 3/.test(row))).toBe(true);
    expect(screen.cursorShown()).toBe(true);
  });

  it('Ctrl-C while the board is up: exit 130, the message and the summary on a clean screen, the cursor shown', async () => {
    const dir = temp.make('interrupt');
    const [a, b] = [gated(dir, 'alpha'), gated(dir, 'beta')];
    const screen = new TerminalScreen(['parallel', '--exec', a.command, b.command, '--working-dir', dir], { cwd: dir, cols: 100, rows: 30 });
    await screen.waitForScreen((r) => footer(r).startsWith('── 2 running'), 'both run on the board');
    screen.type('\x03');
    const { exitCode } = await screen.exit;
    expect(exitCode).toBe(130);
    const all = await screen.allRows();
    expect(all).toContain('orchestrate: SIGINT: stopping 2 running process(es); again to force');
    expect(all.filter(isBoardRow)).toEqual([]);
    expect(all.filter((row) => /^process_00[12]\s+143\s+\S+ s\s+cancelled$/.test(row))).toHaveLength(2);
    expect(screen.cursorShown()).toBe(true);
  });

  it('cuts rows to the terminal width and redraws cleanly after a resize', async () => {
    const dir = temp.make('resize');
    const long = 'x'.repeat(150);
    const gate = join(dir, 'gate-long');
    gates.push(gate);
    const command = [process.execPath, fixture('gated-output.js'), '--out', `${long}\n`, '--wait', gate].map((word) => `'${word}'`).join(' ');
    const other = gated(dir, 'beta');
    const screen = new TerminalScreen(['parallel', '--exec', command, other.command, '--working-dir', dir], { cwd: dir, cols: 100, rows: 30 });
    let rows = await screen.waitForScreen((r) => r.some((row) => row.startsWith('running process_001') && row.includes('xxx')) && footer(r).startsWith('── 2 running'), 'both on the board');
    const row = rows.find((r) => r.startsWith('running process_001')) ?? '';
    expect(row.length).toBe(99);
    expect(row.endsWith('x…')).toBe(true);

    screen.resize(60, 30);
    rows = await screen.waitForScreen((r) => {
      const filled = r.filter((line) => line !== '');
      const board = filled.slice(-3);
      return board.length === 3 && board.every((line) => isBoardRow(line) && line.length <= 59);
    }, 'the board redrawn at 60 columns');
    // The board at the bottom is whole at the new width: one row per process and the footer.
    const board = rows.filter((r) => r !== '').slice(-3);
    expect(board[0]).toMatch(/^running process_001 .*x…$/);
    expect(board[1]).toMatch(/^running process_002 /);
    expect(board[2]).toMatch(/^── 2 running/);
    // Above it: what was printed (the long line, re-wrapped by the terminal). A frame drawn in the
    // instant between the terminal's resize and the SIGWINCH reaching the CLI can leave one old
    // board row behind (README, "The live board"); nothing else may be there.
    const above = rows.filter((r) => r !== '').slice(0, -3);
    expect(above.every((r) => /^(\[process_001\] x+|x+…?|\[process_002\] beta starting|running process_00[12] .*|── .*)$/.test(r))).toBe(true);
  });

  it('NO_COLOR: the board is drawn without a colour', async () => {
    const dir = temp.make('nocolor');
    const a = gated(dir, 'alpha');
    const screen = new TerminalScreen(['run', '--exec', a.command, '--working-dir', dir], { cwd: dir, env: { NO_COLOR: '1' } });
    await screen.waitForScreen((r) => footer(r).startsWith('── 1 running'), 'the board is up');
    writeFileSync(a.gate, '');
    expect((await screen.exit).exitCode).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(screen.raw).not.toMatch(/\x1b\[[0-9;]*m/);
    expect(screen.raw).toContain('\x1b[?25l');
  });

  it('--no-board: prefixed lines only, no board, no cursor movement', async () => {
    const dir = temp.make('noboard');
    const a = gated(dir, 'alpha');
    const screen = new TerminalScreen(['run', '--exec', a.command, '--no-board', '--working-dir', dir], { cwd: dir });
    await screen.waitForScreen((r) => r.includes('[process_001] alpha starting'), 'the first line');
    writeFileSync(a.gate, '');
    expect((await screen.exit).exitCode).toBe(0);
    expect((await screen.allRows()).filter(isBoardRow)).toEqual([]);
    expect(screen.raw).not.toContain('\x1b[?25l');
    // eslint-disable-next-line no-control-regex
    expect(screen.raw).not.toMatch(/\x1b\[\d*A/);
  });

  it('--filter on the board: only matching lines scroll above it', async () => {
    const dir = temp.make('filter');
    const a = gated(dir, 'alpha');
    const screen = new TerminalScreen(['run', '--exec', a.command, '--filter', 'finished$', '--working-dir', dir], { cwd: dir });
    await screen.waitForScreen((r) => footer(r).startsWith('── 1 running'), 'the board is up');
    writeFileSync(a.gate, '');
    expect((await screen.exit).exitCode).toBe(0);
    const all = await screen.allRows();
    expect(all).toContain('[process_001] alpha finished');
    expect(all.some((row) => row.includes('alpha starting') || row.includes('compiling'))).toBe(false);
  });
});
