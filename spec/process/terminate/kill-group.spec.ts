/**
 * Stopping whole process groups: the kill-group functions on real process groups, then every way
 * a run is stopped (timeout, AbortSignal, unsubscribe, leftovers after exit) in both modes,
 * proving that no process of the tree survives. Timeouts and graces run on a virtual clock the
 * test advances (the processes are real): a child ignoring SIGTERM is alive one millisecond before
 * the grace ends and force-killed when the clock reaches it, with no real second waited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STOP_POLL_MS, stopGroup } from '../../../src/process/terminate/kill-group';
import { groupAlive, signalGroup } from '../../../src/process/terminate/process-groups';
import {
  advanceUntilSettled,
  allPids,
  childPids,
  fixture,
  isAlive,
  killPids,
  LONG_TESTS,
  makeTempDir,
  MODES,
  newChildren,
  nodeFixture,
  pollGroupGone,
  readTreePids,
  removeDir,
  startPid,
  startRun,
  VirtualClock,
  waitFor,
  waitForDeath,
} from '../../helpers';

/** The pid `ignore-sigterm.js` and `print-then-hang.js` print. */
const printedPid = (output: string): number => Number(/pid=(\d+)/.exec(output)![1]);

/** Spawns a fixture as the leader of a new process group; resolves once it printed `ready`. */
function startGroup(name: string, args: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [fixture(name), ...args], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (data: Buffer) => {
      text += data.toString();
      if (text.includes('ready')) {
        child.stdout!.destroy();
        resolve(child);
      }
    });
    child.once('error', reject);
  });
}

/** The pids of the children of `parent` that are zombies. */
function zombieChildren(parent: number): number[] {
  const zombies: number[] = [];
  for (const entry of readdirSync('/proc')) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' && Number(fields[1]) === parent) zombies.push(Number(entry));
    } catch {
      // not a process, or gone
    }
  }
  return zombies;
}

describe('kill-group functions', () => {
  let leftovers: number[] = [];
  afterEach(() => {
    killPids(leftovers);
    leftovers = [];
  });

  it('never signals pgid 0, 1, negative or fractional numbers', () => {
    for (const pgid of [0, 1, -1, -process.pid, 1.5, Number.NaN]) expect(signalGroup(pgid, 0)).toBe(false);
  });

  it('reports a group that does not exist as gone', async () => {
    const child = spawn(process.execPath, [fixture('exit.js'), '0'], { detached: true, stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(signalGroup(child.pid!, 0)).toBe(false);
    expect(groupAlive(child.pid!)).toBe(false);
    const stop = stopGroup(child.pid!, { graceMs: 500 });
    await stop.done;
    expect(stop.forced).toBe(false);
  });

  it('stops a group with SIGTERM without forcing when it obeys', async () => {
    const dir = makeTempDir();
    try {
      const pidFile = join(dir, 'pids.json');
      const child = await startGroup('grandchildren.js', [pidFile, 'hang']);
      const pids = allPids(readTreePids(pidFile));
      leftovers = pids;
      expect(groupAlive(child.pid!)).toBe(true);
      const stop = stopGroup(child.pid!, { graceMs: 5000 });
      await stop.done;
      expect(stop.forced).toBe(false);
      await waitForDeath(pids);
      expect(groupAlive(child.pid!)).toBe(false);
    } finally {
      removeDir(dir);
    }
  });

  // Every virtual poll reads /proc for real: a short grace in a plain run. With RXO_LONG_TESTS=1
  // also 60 s, 2,400 polls (about 8 s): each poll used to be scheduled from inside the one before,
  // which a virtual scheduler nests, and ending the stop unsubscribed the chain (a stack overflow).
  it.each(LONG_TESTS ? [300, 60_000] : [300])('escalates to SIGKILL after a grace of %d ms when a member ignores SIGTERM, and leaves no poll behind', async (graceMs) => {
    const child = await startGroup('ignore-sigterm.js');
    leftovers = [child.pid!];
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const clock = new VirtualClock();
    const stop = stopGroup(child.pid!, { graceMs, scheduler: clock });
    clock.advance(graceMs - 1);
    expect(stop.forced).toBe(false);
    expect(isAlive(child.pid!)).toBe(true);
    clock.advance(1);
    expect(stop.forced).toBe(true);
    await stop.done;
    expect(await exited).toBe('SIGKILL');
    expect(clock.actions).toEqual([]);
  });

  it('escalates on the real clock when no scheduler is given', async () => {
    const child = await startGroup('ignore-sigterm.js');
    leftovers = [child.pid!];
    const stop = stopGroup(child.pid!, { graceMs: 200 });
    await stop.done;
    expect(stop.forced).toBe(true);
    await waitForDeath([child.pid!]);
  });

  it('sees on its scheduler that a group obeying SIGTERM has gone, at the next poll, without forcing', async () => {
    const dir = makeTempDir();
    try {
      const child = await startGroup('grandchildren.js', [join(dir, 'pids.json'), 'hang']);
      leftovers = allPids(readTreePids(join(dir, 'pids.json')));
      const clock = new VirtualClock();
      const stop = stopGroup(child.pid!, { graceMs: 5000, scheduler: clock });
      let done = false;
      void stop.done.then(() => (done = true));
      await waitFor(() => !groupAlive(child.pid!), 'the group has ended');
      await new Promise((resolve) => setImmediate(resolve));
      expect(done).toBe(false); // the poll has not run: the clock has not moved
      clock.advance(STOP_POLL_MS);
      await stop.done;
      expect(stop.forced).toBe(false);
    } finally {
      removeDir(dir);
    }
  });

  it('treats a group whose only member is a zombie as dead', async () => {
    // `setsid sleep 0` leads a group of its own and, once ended, stays a zombie: its parent
    // (`exec sleep 60`) never reaps it.
    const parent = spawn('sh', ['-c', 'setsid sleep 0 & exec sleep 60'], { detached: true, stdio: 'ignore' });
    leftovers = [parent.pid!];
    await waitFor(() => zombieChildren(parent.pid!).length > 0, 'sleep 0 is a zombie', 5000);
    const [zombie] = zombieChildren(parent.pid!);
    expect(signalGroup(zombie, 0)).toBe(true); // the kernel still knows the group
    expect(groupAlive(zombie)).toBe(false);
    const stop = stopGroup(zombie, { graceMs: 5000 });
    await stop.done;
    expect(stop.forced).toBe(false);
  });
});

describe.each(MODES)('stopping a run in $mode', ({ terminal }) => {
  let dir: string;
  let leftovers: number[] = [];
  let counter = 0;
  const pidFile = (): string => join(dir, `pids-${(counter += 1)}.json`);

  beforeAll(() => {
    dir = makeTempDir();
  });
  afterEach(() => {
    killPids(leftovers);
    leftovers = [];
  });
  afterAll(() => removeDir(dir));

  /** No result yet: the run is still going. */
  const noResult = (events: readonly { type: string }[]): boolean => !events.some((event) => event.type === 'result');

  describe('timeout', () => {
    it('ends with exit code -1, keeps the output so far and kills the whole tree', async () => {
      const file = pidFile();
      const clock = new VirtualClock();
      // 30 s on the virtual clock: on the real one the run would outlast this test's 20 s timeout.
      const run = startRun(nodeFixture('grandchildren.js', [file, 'hang'], { terminal, timeout: 30, scheduler: clock }).events());
      await run.waitForOutput('ready');
      leftovers = allPids(readTreePids(file));
      clock.advance(29_999);
      expect(leftovers.every(isAlive)).toBe(true);
      clock.advance(1);
      await pollGroupGone(clock, startPid(run));
      const result = await run.result;
      expect(result).toMatchObject({
        exitCode: -1,
        timedOut: true,
        cancelled: false,
        reason: 'timeout',
        forced: false,
        error: 'timed out after 30 s; the process group was stopped',
      });
      expect(result.output).toContain('ready\n');
      await waitForDeath(leftovers);
    }, 20_000);

    it('takes the timeout of one run from run options over the process option', async () => {
      const clock = new VirtualClock();
      const run = startRun(nodeFixture('print-then-hang.js', [], { terminal, timeout: 600, scheduler: clock }).events({ timeoutMs: 2000 }));
      await run.waitForOutput('before hang');
      const pid = printedPid(run.output());
      clock.advance(1999);
      expect(isAlive(pid)).toBe(true);
      clock.advance(1);
      await pollGroupGone(clock, startPid(run));
      const result = await run.result;
      expect(result).toMatchObject({ exitCode: -1, timedOut: true });
      expect(result.output).toContain('before hang');
      if (!terminal) expect(result.stderr).toBe('warn\n');
      await waitForDeath([pid]);
    });
  });

  if (!terminal) {
    it('kills a child that ignores SIGTERM with SIGKILL after killGrace', async () => {
      const clock = new VirtualClock();
      const run = startRun(nodeFixture('ignore-sigterm.js', [], { timeout: 3, killGraceMs: 500, scheduler: clock }).events());
      await run.waitForOutput('ready');
      const pid = printedPid(run.output());
      leftovers = [pid];
      clock.advance(3000); // the timeout: SIGTERM
      clock.advance(499);
      expect(isAlive(pid)).toBe(true);
      expect(noResult(run.events)).toBe(true);
      clock.advance(1);
      const result = await run.result;
      expect(result).toMatchObject({
        exitCode: -1,
        timedOut: true,
        forced: true,
        signal: 'SIGKILL',
        error: 'timed out after 3 s; it ignored SIGTERM and was killed with SIGKILL after 0.5 s',
      });
      expect(result.output).toMatch(/^ready pid=\d+\n$/);
    });
  }

  if (terminal) {
    it('ends a child that ignores SIGTERM when the terminal is stopped (it hangs up)', async () => {
      const clock = new VirtualClock();
      const run = startRun(nodeFixture('ignore-sigterm.js', [], { terminal, timeout: 3, killGraceMs: 500, scheduler: clock }).events());
      await run.waitForOutput('ready');
      const pid = printedPid(run.output());
      leftovers = [pid];
      clock.advance(3000); // the timeout: SIGTERM, and the terminal closes
      clock.advance(500); // the grace: whatever is left of the group gets SIGKILL
      expect(await run.result).toMatchObject({ exitCode: -1, timedOut: true });
      await waitForDeath([pid]);
    });
  }

  it('gives the result of a stopped run only once a child ignoring SIGTERM and SIGHUP was SIGKILLed', async () => {
    const clock = new VirtualClock();
    const run = startRun(nodeFixture('ignore-sigterm.js', ['hup'], { terminal, timeout: 3, killGraceMs: 500, scheduler: clock }).events());
    await run.waitForOutput('ready');
    const pid = printedPid(run.output());
    leftovers = [pid];
    clock.advance(3000); // the timeout: SIGTERM
    clock.advance(499);
    expect(isAlive(pid)).toBe(true);
    expect(noResult(run.events)).toBe(true);
    clock.advance(1);
    expect(await run.result).toMatchObject({
      exitCode: -1,
      timedOut: true,
      forced: true,
      error: 'timed out after 3 s; it ignored SIGTERM and was killed with SIGKILL after 0.5 s',
    });
    await waitForDeath([pid]);
  });

  describe('AbortSignal', () => {
    it('stops the run and emits a cancelled result', async () => {
      const controller = new AbortController();
      const file = pidFile();
      const run = startRun(nodeFixture('grandchildren.js', [file, 'hang'], { terminal }).events({ signal: controller.signal }));
      await run.waitForOutput('ready');
      leftovers = allPids(readTreePids(file));
      controller.abort();
      const result = await run.result;
      expect(result).toMatchObject({
        cancelled: true,
        timedOut: false,
        reason: 'cancelled',
        signal: 'SIGTERM',
        exitCode: 143,
        error: 'cancelled; the process group was stopped',
      });
      expect(result.output).toContain('ready\n');
      await waitForDeath(leftovers);
    });

    if (!terminal) {
      it('forces a child that ignores SIGTERM and marks the result forced', async () => {
        const controller = new AbortController();
        const clock = new VirtualClock();
        const run = startRun(nodeFixture('ignore-sigterm.js', [], { killGraceMs: 500, scheduler: clock }).events({ signal: controller.signal }));
        await run.waitForOutput('ready');
        leftovers = [printedPid(run.output())];
        controller.abort();
        clock.advance(499);
        expect(noResult(run.events)).toBe(true);
        clock.advance(1);
        expect(await run.result).toMatchObject({ cancelled: true, forced: true, signal: 'SIGKILL', reason: 'cancelled' });
      });
    }

    it('gives a not-started cancelled result without spawning when already aborted', async () => {
      const marker = join(dir, `touched-${terminal}`);
      const before = childPids();
      const result = await nodeFixture('print.js', [], { terminal, command: 'touch', args: [marker] }).run({
        signal: AbortSignal.abort(),
      });
      expect(result).toMatchObject({ cancelled: true, reason: 'not-started', pid: null, output: '' });
      expect(result.exitCode).not.toBe(0);
      expect(newChildren(before)).toEqual([]);
      expect(existsSync(marker)).toBe(false);
    });
  });

  describe('unsubscribe', () => {
    it('kills the whole process group', async () => {
      const file = pidFile();
      const run = startRun(nodeFixture('grandchildren.js', [file, 'hang'], { terminal }).events());
      await run.waitForOutput('ready');
      leftovers = allPids(readTreePids(file));
      expect(leftovers.every(isAlive)).toBe(true);
      run.subscription.unsubscribe();
      await waitForDeath(leftovers);
      expect(run.events.filter((event) => event.type === 'result')).toHaveLength(0);
    });

    it('goes on to SIGKILL a child that ignores SIGTERM after the unsubscribe', async () => {
      const clock = new VirtualClock();
      const run = startRun(nodeFixture('ignore-sigterm.js', ['hup'], { terminal, killGraceMs: 500, scheduler: clock }).events());
      await run.waitForOutput('ready');
      const pid = printedPid(run.output());
      leftovers = [pid];
      run.subscription.unsubscribe();
      clock.advance(499);
      expect(isAlive(pid)).toBe(true);
      clock.advance(1);
      await waitForDeath([pid]);
    });
  });

  describe('leftovers after a normal exit', () => {
    it('ends descendants still in the group by default', async () => {
      const file = pidFile();
      const result = await nodeFixture('grandchildren.js', [file, 'exit'], { terminal }).run();
      leftovers = allPids(readTreePids(file));
      expect(result).toMatchObject({ exitCode: 0, reason: 'exit', output: 'ready\n' });
      await waitForDeath(leftovers);
    });

    it('leaves them running with killLeftovers: false', async () => {
      const file = pidFile();
      // In pipe mode the survivors hold the pipes: the run ends after the exit grace (1 s, virtual here).
      const clock = new VirtualClock();
      const run = startRun(nodeFixture('grandchildren.js', [file, 'exit'], { terminal, killLeftovers: false, scheduler: clock }).events());
      await advanceUntilSettled(clock, run.result, 1000);
      const result = await run.result;
      const tree = readTreePids(file);
      leftovers = allPids(tree);
      expect(result).toMatchObject({ exitCode: 0, output: 'ready\n' });
      // A terminal hangs up its group when it closes: only the nohup'd grandchild outlives it there.
      const survivors = terminal ? [tree.nohup] : [tree.holder, tree.nohup];
      expect(survivors.filter(isAlive)).toEqual(survivors);
    });
  });
});
