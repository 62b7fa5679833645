/**
 * Ctrl-C and SIGTERM: the CLI stops every running process, still writes the logs and the summary
 * (results cancelled), and exits 130 (SIGINT) or 143 (SIGTERM). A child that ignores SIGTERM is
 * killed after the kill grace (`--kill-grace`, shortened here so no test waits the default 5 s),
 * or at once on a second Ctrl-C. Signals are sent only after the 'start'
 * events (and, for the stubborn child, its "ready" line) have been seen.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputEvent, StartEvent } from '../../src/process/types';
import { isAlive, tempDirs } from '../helpers';
import {
  AGENT,
  cliFixture,
  destroyRunning,
  logRoot,
  onlySessionDir,
  readSummary,
  startCli,
  type RunningCli,
} from './helpers';

const temp = tempDirs('orchestrate-');

const STUBBORN = `node '${cliFixture('stubborn.js')}'`;

let dir: string;

beforeEach(() => {
  dir = temp.make('signals');
});

afterEach(destroyRunning);
afterAll(() => temp.cleanup());

function starts(cli: RunningCli): StartEvent[] {
  return cli.events().filter((event): event is StartEvent => event.type === 'start');
}

/** Waits for `count` start events and returns their pids. */
async function waitForStarts(cli: RunningCli, count: number): Promise<number[]> {
  await cli.waitFor((c) => starts(c).length >= count, `${count} start events`);
  const pids = starts(cli).map((event) => event.pid);
  for (const pid of pids) expect(isAlive(pid)).toBe(true);
  return pids;
}

/** Waits until every one of `ids` printed a line containing `text`. */
function waitForLine(cli: RunningCli, ids: string[], text: string): Promise<void> {
  return cli.waitFor(
    (c) =>
      ids.every((id) =>
        c.events().some((event): event is OutputEvent => event.type === 'output' && event.processId === id && event.chunk.includes(text)),
      ),
    `"${text}" from ${ids.join(', ')}`,
  );
}

function sessionSummary() {
  return readSummary(onlySessionDir(logRoot(dir)));
}

describe.each([
  { signal: 'SIGINT' as const, code: 130 },
  { signal: 'SIGTERM' as const, code: 143 },
])('$signal', ({ signal, code }) => {
  it(`stops both running commands, writes the summary (both cancelled) and exits ${code}`, async () => {
    const cli = startCli(['parallel', '--json', '--exec', 'sleep 30', 'sleep 30', '--working-dir', dir], { cwd: dir });
    const pids = await waitForStarts(cli, 2);
    const sentAt = Date.now();
    cli.signal(signal);
    const outcome = await cli.done;
    expect({ code: outcome.code, signal: outcome.signal }).toEqual({ code, signal: null });
    expect(Date.now() - sentAt).toBeLessThan(5000);
    expect(outcome.stderr).toContain(`orchestrate: ${signal}: stopping 2 running process(es); again to force`);

    for (const pid of pids) expect(isAlive(pid)).toBe(false);

    const summary = sessionSummary();
    expect(summary.details).toMatchObject({ interruptedBy: signal });
    expect(summary.counts).toMatchObject({ total: 2, cancelled: 2, succeeded: 0 });
    expect(summary.results.map((result) => result.processId).sort()).toEqual(['process_001', 'process_002']);
    for (const result of summary.results) {
      expect(result).toMatchObject({ cancelled: true, reason: 'cancelled', timedOut: false });
      expect(pids).toContain(result.pid);
    }
    const sessionLog = readFileSync(join(summary.sessionDir, 'session.log'), 'utf8');
    expect(sessionLog).toContain(`exit: ${signal}`);
    // The result events came out on stdout too, and stdout stayed pure JSON.
    expect(cli.events().filter((event) => event.type === 'result')).toHaveLength(2);
  });
});

it('Ctrl-C stops the simulated agent mid-reply (sim-slow) and shows the table with both cancelled', async () => {
  const cli = startCli(
    ['parallel', '--command', AGENT, '--model', 'sim-slow', 'First.', 'Second.', '--working-dir', dir],
    // A slow agent: 10 x 100 ms between pieces, so neither reply can finish before the signal.
    { cwd: dir, env: { SIM_AGENT_DELAY_MS: '100' } },
  );
  // The first live line of each reply proves both agents are running.
  await cli.waitFor((c) => /^\[process_001\] Task: First\.$/m.test(c.stdout) && /^\[process_002\] Task: Second\.$/m.test(c.stdout), 'both replies to begin');
  cli.signal('SIGINT');
  const outcome = await cli.done;
  expect(outcome.code).toBe(130);
  expect(outcome.stdout).toMatch(/^process_001\s+\S+\s+\S+ s\s+cancelled$/m);
  expect(outcome.stdout).toMatch(/^process_002\s+\S+\s+\S+ s\s+cancelled$/m);
  const summary = sessionSummary();
  expect(summary.counts).toMatchObject({ total: 2, cancelled: 2 });
  for (const result of summary.results) {
    expect(result.output).toMatch(/^Task: /);
    expect(isAlive(result.pid as number)).toBe(false);
  }
});

it('a child ignoring SIGTERM is killed after the kill grace (--kill-grace 0.5); the CLI exits 130', async () => {
  const cli = startCli(['parallel', '--json', '--kill-grace', '0.5', '--exec', STUBBORN, STUBBORN, '--working-dir', dir], { cwd: dir });
  const pids = await waitForStarts(cli, 2);
  await waitForLine(cli, ['process_001', 'process_002'], 'ready');
  const sentAt = Date.now();
  cli.signal('SIGINT');
  // Both children really did get SIGTERM, and ignored it.
  await waitForLine(cli, ['process_001', 'process_002'], 'ignoring SIGTERM');
  for (const pid of pids) expect(isAlive(pid)).toBe(true);
  const outcome = await cli.done;
  const elapsed = Date.now() - sentAt;
  expect(outcome.code).toBe(130);
  // The grace was waited (the children were still alive after SIGTERM, above), and no more than it plus slack.
  expect(elapsed).toBeGreaterThanOrEqual(450);
  expect(elapsed).toBeLessThan(4500);
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
  const summary = sessionSummary();
  expect(summary.counts).toMatchObject({ total: 2, cancelled: 2 });
  for (const result of summary.results) {
    expect(result).toMatchObject({ cancelled: true, forced: true, signal: 'SIGKILL' });
    expect(result.error).toMatch(/ignored SIGTERM and was killed with SIGKILL after 0\.5 s/);
  }
}, 15000);

it('a second Ctrl-C kills a child ignoring SIGTERM at once', async () => {
  const cli = startCli(['parallel', '--json', '--exec', STUBBORN, STUBBORN, '--working-dir', dir], { cwd: dir });
  const pids = await waitForStarts(cli, 2);
  await waitForLine(cli, ['process_001', 'process_002'], 'ready');
  cli.signal('SIGINT');
  await cli.waitFor((c) => c.stderr.includes('again to force'), 'the first SIGINT to be handled');
  await waitForLine(cli, ['process_001', 'process_002'], 'ignoring SIGTERM');
  const sentAt = Date.now();
  cli.signal('SIGINT');
  const outcome = await cli.done;
  expect(outcome.code).toBe(130);
  // Well before the 5 s grace would have run out...
  expect(Date.now() - sentAt).toBeLessThan(4000);
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
  const summary = sessionSummary();
  expect(summary.details).toMatchObject({ interruptedBy: 'SIGINT' });
  expect(summary.counts).toMatchObject({ total: 2, cancelled: 2 });
  // ...and killed by the CLI's SIGKILL, not by the grace's escalation (which would set `forced`).
  for (const result of summary.results) expect(result).toMatchObject({ signal: 'SIGKILL', forced: false });
}, 15000);

it('Ctrl-C during a sequential run: the later commands never start and are reported cancelled', async () => {
  const marker = join(dir, 'never');
  const cli = startCli(['sequential', '--json', '--exec', 'sleep 30', `touch '${marker}'`, '--working-dir', dir], { cwd: dir });
  const [pid] = await waitForStarts(cli, 1);
  cli.signal('SIGINT');
  const outcome = await cli.done;
  expect(outcome.code).toBe(130);
  expect(isAlive(pid)).toBe(false);
  expect(starts(cli)).toHaveLength(1);
  const summary = sessionSummary();
  const first = summary.results.find((result) => result.processId === 'process_001');
  expect(first).toMatchObject({ cancelled: true, reason: 'cancelled' });
  for (const result of summary.results.filter((r) => r.processId !== 'process_001')) {
    expect(result).toMatchObject({ cancelled: true, pid: null });
  }
  expect(() => readFileSync(marker)).toThrow();
});

it('Ctrl-C during the demo stops the first phase and skips the later phases', async () => {
  const cli = startCli(['demo', '--json', '--working-dir', dir], { cwd: dir, env: { SIM_AGENT_DELAY_MS: '1000' } });
  const pids = await waitForStarts(cli, 3);
  cli.signal('SIGINT');
  const outcome = await cli.done;
  expect(outcome.code).toBe(130);
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
  expect(starts(cli).map((event) => event.processId).sort()).toEqual(['maintainability', 'performance', 'security']);
  const summary = sessionSummary();
  expect(summary.results).toHaveLength(3);
  expect(summary.counts).toMatchObject({ total: 3, cancelled: 3 });
});

it('a reader that goes away (EPIPE on stdout) stops the run like Ctrl-C and exits 141', async () => {
  const ticker = `sh -c 'while :; do echo tick; sleep 0.05; done'`;
  const cli = startCli(['parallel', '--json', '--exec', ticker, ticker, '--working-dir', dir], { cwd: dir });
  const pids = await waitForStarts(cli, 2);
  await waitForLine(cli, ['process_001', 'process_002'], 'tick');
  // Close our end of the CLI's stdout: its next write fails with EPIPE.
  cli.child.stdout.destroy();
  const outcome = await cli.done;
  expect(outcome.code).toBe(141);
  expect(outcome.stderr).toContain('orchestrate: SIGPIPE: stopping 2 running process(es) (stdout was closed by its reader; the summary goes to the logs only)');
  // Nobody is left to press Ctrl-C again: the note does not suggest it.
  expect(outcome.stderr).not.toContain('again to force');
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
  const summary = sessionSummary();
  expect(summary.details).toMatchObject({ interruptedBy: 'SIGPIPE' });
  expect(summary.counts).toMatchObject({ total: 2, cancelled: 2 });
});
