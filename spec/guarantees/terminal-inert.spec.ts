/**
 * Guarantee (issue 10, section 4): a child's bytes never control the user's terminal. A child
 * writes a window-title OSC, a clear-screen CSI, a CR and a coloured fake "all tests passed", a C1
 * CSI, a bidi override and DEL, on stdout and stderr, and fails; an id from a plan holds ESC. The
 * CLI's stdout and stderr (live lines, the `failed:` line, the summary table, with and without
 * `--quiet`; the board through a real pseudo-terminal) hold none of those characters raw: they show
 * escaped (`\x1b]0;pwned\x07`). `joblog.tsv` and the structural lines of the process logs (id,
 * command, cwd, how it ended) hold no raw ESC or CR either. `--raw` passes live lines through.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import { fixture, tempDirs } from '../helpers';
import { destroyRunning, printedLogDir, runCli } from '../cli/helpers';
import { TerminalScreen } from '../cli/terminal-screen';

const temp = tempDirs('rxo-terminal-inert-');
afterEach(destroyRunning);
afterAll(() => temp.cleanup());

const ATTACKER = fixture('terminal-attack.js');
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x9b\u202e]/;
const q = (word: string): string => `'${word}'`;

/** The structural (non-output) lines of every process log, and the job log's lines. */
function records(sessionDir: string): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(sessionDir)) {
    const text = readFileSync(join(sessionDir, name), 'utf8');
    if (name === 'joblog.tsv') lines.push(...text.split('\n'));
    else if (name.endsWith('.log') && name !== 'session.log') {
      // An output line may hold what the child wrote; everything else is ours.
      lines.push(...text.split('\n').filter((line) => !/^\S+ \S+ +(stdout|stderr) \| /.test(line)));
    }
  }
  return lines;
}

describe('a child cannot drive the terminal through the CLI', () => {
  it.each([[[] as string[]], [['--quiet']]])('flags %j: stdout and stderr hold no raw control character from the child', async (flags) => {
    const dir = temp.make('cli');
    const outcome = await runCli(['run', '--exec', ...flags, '--working-dir', dir, `${q(process.execPath)} ${q(ATTACKER)}`], { cwd: dir });
    expect(outcome.code).toBe(1);
    for (const text of [outcome.stdout, outcome.stderr]) {
      expect(text.includes('\x1b')).toBe(false);
      expect(RAW_CONTROL.test(text)).toBe(false);
    }
    // Shown escaped, in the status column and (not quiet) the live lines.
    expect(outcome.stdout).toMatch(/process_001 +1 +\d+\.\d+ s {2}failed: exited with code 1: \\x1b\]0;pwned\\x07\\x1b\[2J\\rall tests passed \\x9b2J \\u202edesrever\\x7f$/m);
    if (flags.length === 0) expect(outcome.stdout).toContain('[process_001] out \\x1b]0;pwned\\x07\\x1b[2J\\rall tests passed');
    const lines = records(printedLogDir(outcome.stdout));
    expect(lines.length).toBeGreaterThan(4);
    expect(lines.filter((line) => RAW_CONTROL.test(line) || line.includes('\r'))).toEqual([]);
  });

  it('--raw passes the live lines through as written (and still not the status column)', async () => {
    const dir = temp.make('raw');
    const outcome = await runCli(['run', '--exec', '--raw', '--working-dir', dir, `${q(process.execPath)} ${q(ATTACKER)}`], { cwd: dir });
    expect(outcome.stdout).toContain('[process_001] out \x1b]0;pwned\x07');
    expect(outcome.stdout).toMatch(/failed: exited with code 1: \\x1b\]0;pwned/);
  });

  it('ids from a plan holding ESC are shown escaped on resume, and escaped in the job log and process logs', async () => {
    const dir = temp.make('plan');
    const session = new OrchestratorSession({ patternName: 'esc-ids', workingDir: dir });
    const id = 'job\x1b[2J\x1b]0;pwned\x07';
    session.plan([session.createCommand(process.execPath, [ATTACKER], id)], { strategy: 'parallel' });
    await session.close();
    const help = await runCli(['resume', '--help'], { cwd: dir });
    // Issue 10 may add a confirmation to resume (--yes when not on a terminal).
    const yes = help.stdout.includes('--yes') ? ['--yes'] : [];
    const outcome = await runCli(['resume', session.sessionDir, ...yes, '--working-dir', dir], { cwd: dir });
    expect(outcome.code).toBe(1);
    for (const text of [outcome.stdout, outcome.stderr]) expect(RAW_CONTROL.test(text)).toBe(false);
    expect(outcome.stdout).toContain('job\\x1b[2J\\x1b]0;pwned\\x07');
    const lines = records(printedLogDir(outcome.stdout));
    expect(lines.some((line) => line.includes('job\\x1b[2J'))).toBe(true);
    expect(lines.filter((line) => RAW_CONTROL.test(line) || line.includes('\r'))).toEqual([]);
  });

  it('the board (a real pseudo-terminal) shows the child escaped: no OSC, no clear screen from the child', async () => {
    const dir = temp.make('board');
    const gate = join(dir, 'gate');
    const screen = new TerminalScreen(['parallel', '--exec', `${q(process.execPath)} ${q(ATTACKER)} ${q(gate)}`, '--working-dir', dir], { cwd: dir, cols: 160, rows: 30 });
    try {
      await screen.waitForScreen((rows) => rows.some((row) => row.startsWith('running process_001')), 'the board shows the process');
      writeFileSync(gate, '');
      await screen.exit;
      await screen.settled();
      expect(screen.raw.includes('\x1b]0;pwned')).toBe(false);
      expect(screen.raw.includes('\x1b[2J')).toBe(false);
      expect(screen.raw.includes('\u009b')).toBe(false);
      expect(screen.raw).toContain('\\x1b]0;pwned\\x07');
    } finally {
      writeFileSync(gate, '');
    }
  });
});
