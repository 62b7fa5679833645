/**
 * Guarantee: Ctrl-C on the CLI, for real. `orchestrate parallel --exec <fixture> <fixture>` runs
 * under node-pty, a real terminal: writing `\x03` makes the terminal's line discipline send
 * SIGINT to its foreground process group, which is the CLI's. The fixture
 * (spec/fixtures/guarantee2-signals.js) records every signal it receives. Afterwards:
 *
 * - the CLI exits 130;
 * - each child recorded exactly one signal, SIGTERM (from the CLI): no SIGINT reached it from the
 *   terminal, because every child leads its own process group;
 * - the process logs, session.log and summary.json are written, and the summary lists both
 *   results as cancelled.
 *
 * Ctrl-C is written only after both children printed "ready" (their handlers are in place). With
 * RXO_LONG_TESTS=1 the whole scenario runs several times.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pty from 'node-pty';
import type { ProcessResult } from '../../src/process/types';
import type { SessionSummary } from '../../src/session/summary';
import { fixture, isAlive, killPids, tempDirs, waitFor } from '../helpers';
import { CLI, logRoot, onTerminal } from '../cli/helpers';

const LONG = process.env.RXO_LONG_TESTS === '1';
const ROUNDS = LONG ? 5 : 1;

const temp = tempDirs('rxo-guarantee-interrupt-');
/** Pids a failed test may have left: the CLI and the children. */
const leftovers: number[] = [];

afterEach(() => {
  killPids(leftovers.splice(0));
});
afterAll(() => temp.cleanup());

/** Text without colours and other escape sequences, with \r\n as \n. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
}

describe.each(Array.from({ length: ROUNDS }, (_, round) => ({ round: round + 1 })))('Ctrl-C on a terminal (round $round)', () => {
  it('exits 130; each child got exactly one signal, SIGTERM; logs and summary list both as cancelled', async () => {
    const dir = temp.make('ctrl-c');
    const records = [join(dir, 'signals-a'), join(dir, 'signals-b')];
    const commands = records.map((record) => `'${process.execPath}' '${fixture('guarantee2-signals.js')}' '${record}'`);
    const run = onTerminal(['parallel', '--exec', ...commands, '--working-dir', dir], dir);
    leftovers.push(run.term.pid);

    // Both children ready: handlers installed, pids written.
    await waitFor(() => (plain(run.text()).match(/^\[process_00[12]\] +ready$/gm) ?? []).length === 2, 'both children printed ready', 20_000);
    const childPids = records.map((record) => Number(readFileSync(`${record}.pid`, 'utf8')));
    leftovers.push(...childPids);
    for (const pid of childPids) expect(isAlive(pid)).toBe(true);

    const sentAt = Date.now();
    run.term.write('\x03');
    const { exitCode } = await run.exit;
    const elapsed = Date.now() - sentAt;
    const shown = plain(run.text());

    expect({ exitCode, shown }).toEqual({ exitCode: 130, shown: expect.stringContaining('orchestrate: SIGINT: stopping 2 running process(es); again to force') });
    expect(elapsed).toBeLessThan(5000);
    process.stdout.write(`cli-interrupt: Ctrl-C to exit in ${elapsed} ms\n`);

    // Exactly one signal each, SIGTERM; and they are gone.
    await waitFor(() => childPids.every((pid) => !isAlive(pid)), 'both children are gone', 5000);
    expect(records.map((record) => readFileSync(record, 'utf8'))).toEqual(['SIGTERM\n', 'SIGTERM\n']);

    // Logs and summary are written, listing both as cancelled.
    // The log root holds the session and the .gitignore the CLI put there when it created the root.
    const sessions = readdirSync(logRoot(dir)).filter((name) => name !== '.gitignore');
    expect(sessions).toHaveLength(1);
    const sessionDir = join(logRoot(dir), sessions[0]);
    expect(readdirSync(sessionDir).sort()).toEqual(['joblog.tsv', 'plan.json', 'process_001.log', 'process_002.log', 'processes.tsv', 'session.log', 'summary.json']);
    const summary = JSON.parse(readFileSync(join(sessionDir, 'summary.json'), 'utf8')) as SessionSummary;
    expect(summary.details).toMatchObject({ interruptedBy: 'SIGINT' });
    expect(summary.counts).toMatchObject({ total: 2, cancelled: 2, succeeded: 0 });
    expect(summary.results.map((result: ProcessResult) => [result.processId, result.reason, result.cancelled]).sort()).toEqual([
      ['process_001', 'cancelled', true],
      ['process_002', 'cancelled', true],
    ]);
    for (const result of summary.results) {
      expect(result.output).toBe('ready\n');
      expect(result.error).toMatch(/^cancelled; the process group was stopped$/);
      expect({ forced: result.forced, signal: result.signal, exitCode: result.exitCode }).toEqual({ forced: false, signal: 'SIGTERM', exitCode: 143 });
    }
    for (const id of ['process_001', 'process_002']) {
      const log = readFileSync(join(sessionDir, `${id}.log`), 'utf8');
      expect(log).toMatch(/stdout \| ready\n/);
      expect(log.trimEnd().split('\n').pop()).toMatch(/ERROR ended: failed \(cancelled\), exit code 143, \d+\.\d{3} s: cancelled; the process group was stopped$/);
    }
    const sessionLog = readFileSync(join(sessionDir, 'session.log'), 'utf8');
    expect(sessionLog).toMatch(/summary written to .*summary\.json/);
    expect(sessionLog).toMatch(/exit: SIGINT/);
    expect(sessionLog).toMatch(/session \S+ closed/);
    // Everything ended on its own: nothing for afterEach to kill (a pid may be reused by then).
    leftovers.length = 0;
  });
});
