/**
 * Pipe mode specifics: descendants holding the pipes after the child exited, and stdin the child
 * never reads.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandProcess } from '../../../src/runnable/command-process';
import { advanceUntilSettled, allPids, isAlive, killPids, makeTempDir, nodeFixture, readTreePids, removeDir, startPid, startRun, VirtualClock, waitFor } from '../../helpers';

/** Blocks the host's event loop (no I/O is polled meanwhile) until `file` exists. */
function blockUntilExists(file: string, timeoutMs: number): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear within ${timeoutMs} ms`);
    Atomics.wait(cell, 0, 0, 5);
  }
}

describe('pipe mode', () => {
  let dir: string;
  let leftovers: number[] = [];
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterEach(() => {
    killPids(leftovers);
    leftovers = [];
  });
  afterAll(() => removeDir(dir));

  it('waits the exit grace on its scheduler for a grandchild holding the pipes, then ends the run', async () => {
    const file = join(dir, 'pids-clock.json');
    const clock = new VirtualClock();
    const run = startRun(nodeFixture('grandchildren.js', [file, 'exit'], { killLeftovers: false, exitGraceMs: 30000, scheduler: clock }).events());
    // A second of virtual time every 20 ms: the 30 s grace passes in well under a second of real
    // time (on the real clock the run would outlast this test's 20 s timeout).
    await advanceUntilSettled(clock, run.result, 1000);
    expect(clock.now()).toBeGreaterThanOrEqual(30_000);
    const tree = readTreePids(file);
    leftovers = allPids(tree);
    expect(await run.result).toMatchObject({ exitCode: 0, reason: 'exit', output: 'ready\n', error: null });
    expect(isAlive(tree.holder)).toBe(true);
  }, 20_000);

  it.each([
    ['the default exitGraceMs (1000)', {}],
    ['exitGraceMs 200', { exitGraceMs: 200 }],
  ])(
    'ends the run soon after the child exits while a grandchild holds the pipes for 60 s, with %s',
    async (_name, grace) => {
      const file = join(dir, `pids-${Object.keys(grace).length}.json`);
      const run = startRun(nodeFixture('grandchildren.js', [file, 'exit'], { killLeftovers: false, ...grace }).events());
      const result = await run.result;
      const arrived = Date.now();
      const tree = readTreePids(file);
      leftovers = allPids(tree);
      expect(result).toMatchObject({ exitCode: 0, reason: 'exit', output: 'ready\n', error: null });
      // "ready" is the child's last word before it exits: the result followed it within seconds.
      const ready = run.events.find((event) => event.type === 'output' && event.chunk.includes('ready'));
      expect(ready?.type === 'output' && arrived - ready.at).toBeLessThan(5000);
      // The holder really was holding the pipes: it is still running.
      expect(isAlive(tree.holder)).toBe(true);
    },
  );

  it('reads what is waiting in the pipes when the grace expires before the host polled them again (a starved host loses nothing)', async () => {
    // sh prints "early" and exits; a subshell keeps its stdout open and prints "late" on a signal.
    // The host is kept from polling (its loop blocked) from before "late" is written until after
    // the grace has expired, as a host starved of CPU by many starting children is.
    const go = join(dir, 'go');
    const written = join(dir, 'written');
    const script = `(until [ -e "$1" ]; do sleep 0.05; done; echo late; : > "$2"; exec sleep 60) & echo early`;
    const clock = new VirtualClock();
    const job = new CommandProcess({ command: 'sh', args: ['-c', script, 'sh', go, written], killLeftovers: false, exitGraceMs: 1000, scheduler: clock });
    const run = startRun(job.events());
    try {
      // The child exited once the grace is armed on the clock.
      await waitFor(() => clock.actions.length > 0, 'the exit grace is armed', 10_000);
      writeFileSync(go, '');
      blockUntilExists(written, 10_000);
      clock.advance(1000);
      expect(await run.result).toMatchObject({ exitCode: 0, reason: 'exit', output: 'early\nlate\n', error: null });
    } finally {
      try {
        process.kill(-startPid(run), 'SIGKILL');
      } catch {
        // the group is gone
      }
    }
  });

  it('ends the run at once when leftovers are killed, without waiting for the grace', async () => {
    const file = join(dir, 'pids-kill.json');
    const result = await nodeFixture('grandchildren.js', [file, 'exit'], { exitGraceMs: 30000 }).run();
    leftovers = allPids(readTreePids(file));
    expect(result).toMatchObject({ exitCode: 0, output: 'ready\n' });
    expect(result.duration).toBeLessThan(10);
  });

  it('survives a child that exits without reading its input', async () => {
    const result = await nodeFixture('exit.js', ['0'], { input: Buffer.alloc(3 * 1024 * 1024, 'x') }).run();
    expect(result).toMatchObject({ exitCode: 0, error: null });
  });
});
