/**
 * Guarantee: runs leak nothing. Many runs in a row of a trivial process (`true`) bring the host's
 * open file descriptors (entries of /proc/self/fd), its live children and its listeners for exit
 * and signals back to where they started, and leave no zombie child: through `runParallel` with
 * maxWorkers 8 and one after another in pipe mode (50 runs each, 1000 with RXO_LONG_TESTS=1),
 * and in terminal mode (20 runs, 100 with RXO_LONG_TESTS=1). Any fd, child or listener kept by
 * any one run shows (the counts after may not exceed the counts before); the long run adds
 * leaks too rare to happen in 50.
 *
 * Baselines are taken after one warm-up run of the same kind (the first run loads node-pty and
 * opens what libuv keeps for every later run). The counts may settle a moment after the last
 * result (a pipe closes, a child is reaped, the stop of a terminal's supervisor lets go of the exit
 * and signal listeners at its next poll): that is awaited with waitFor, under a deadline.
 * Each test logs its figures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { CommandProcess } from '../../src/runnable/command-process';
import type { ProcessResult } from '../../src/process/types';
import { runParallel } from '../../src/strategies/parallel';
import { childPids, LONG_TESTS as LONG, waitFor } from '../helpers';

const PIPE_RUNS = LONG ? 1000 : 50;
const TERMINAL_RUNS = LONG ? 100 : 20;
const SETTLE_MS = 10_000;

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Children of this host (the jest worker) that are zombies. */
function zombieChildren(): number[] {
  const zombies: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' && Number(fields[1]) === process.pid) zombies.push(Number(entry));
    } catch {
      // gone
    }
  }
  return zombies;
}

const WATCHED_EVENTS = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function listeners(): number[] {
  return WATCHED_EVENTS.map((event) => process.listenerCount(event));
}

function sameListeners(counts: readonly number[]): boolean {
  return listeners().every((count, index) => count === counts[index]);
}

interface Snapshot {
  readonly fds: number;
  readonly children: number;
  readonly listeners: number[];
}

function snapshot(): Snapshot {
  return { fds: openFds(), children: childPids().length, listeners: listeners() };
}

const trueProcess = (terminal: boolean): CommandProcess =>
  new CommandProcess({ command: 'true', processId: terminal ? 'true-tty' : 'true', terminal });

/**
 * Runs `runs` and checks that the host is back where it started: fds and live children no more
 * than before, the same listeners, no zombie child.
 */
async function expectNoLeak(what: string, warmUp: () => Promise<unknown>, runs: () => Promise<ProcessResult[]>, count: number) {
  const initial = listeners();
  await warmUp();
  // The stop of the warm-up's leftovers (in terminal mode, the supervisor) may outlast its result
  // by one poll: wait until it has let go of the exit and signal listeners too.
  await waitFor(
    () => zombieChildren().length === 0 && childPids().length === 0 && sameListeners(initial),
    'the warm-up has ended',
    SETTLE_MS,
  );
  const before = snapshot();
  const startedAt = Date.now();
  const results = await runs();
  const seconds = (Date.now() - startedAt) / 1000;
  const peakAfter = snapshot();
  expect(results).toHaveLength(count);
  expect(results.filter((result) => result.exitCode !== 0)).toEqual([]);
  await waitFor(
    () =>
      openFds() <= before.fds &&
      childPids().length <= before.children &&
      zombieChildren().length === 0 &&
      sameListeners(before.listeners),
    `the fds (${before.fds}), live children (${before.children}) and listeners are back where they started, with no zombie`,
    SETTLE_MS,
  );
  const after = snapshot();
  // eslint-disable-next-line no-console
  console.log(
    `${what}: ${count} runs in ${seconds.toFixed(1)} s; fds ${before.fds} -> ${peakAfter.fds} at the last result -> ${after.fds} settled; ` +
      `live children ${before.children} -> ${after.children}; zombies ${zombieChildren().length}; ` +
      `listeners (${WATCHED_EVENTS.join(', ')}) ${before.listeners.join('/')} -> ${peakAfter.listeners.join('/')} at the last result -> ${after.listeners.join('/')}`,
  );
  expect(after.fds).toBeLessThanOrEqual(before.fds);
  expect(after.children).toBeLessThanOrEqual(before.children);
  expect(after.listeners).toEqual(before.listeners);
  expect(zombieChildren()).toEqual([]);
}

describe('no leaks', () => {
  it(`${PIPE_RUNS} runs of \`true\` through runParallel (maxWorkers 8) return the host's fds and children to where they started, with no zombie`, async () => {
    await expectNoLeak(
      'pipe mode, runParallel maxWorkers 8',
      () => trueProcess(false).run(),
      () => runParallel(Array.from({ length: PIPE_RUNS }, () => trueProcess(false)), { maxWorkers: 8 }),
      PIPE_RUNS,
    );
  }, LONG ? 300_000 : 60_000);

  it(`${PIPE_RUNS} runs of \`true\` one after another return the host's fds and children to where they started, with no zombie`, async () => {
    await expectNoLeak(
      'pipe mode, one after another',
      () => trueProcess(false).run(),
      async () => {
        const results: ProcessResult[] = [];
        const process = trueProcess(false);
        for (let i = 0; i < PIPE_RUNS; i += 1) results.push(await process.run());
        return results;
      },
      PIPE_RUNS,
    );
  }, LONG ? 300_000 : 60_000);

  it(`${TERMINAL_RUNS} terminal-mode runs of \`true\` return the host's fds and children to where they started, with no zombie`, async () => {
    await expectNoLeak(
      'terminal mode, runParallel maxWorkers 8',
      () => trueProcess(true).run(),
      () => runParallel(Array.from({ length: TERMINAL_RUNS }, () => trueProcess(true)), { maxWorkers: 8 }),
      TERMINAL_RUNS,
    );
  }, LONG ? 300_000 : 60_000);
});
