/**
 * Stopping whole process groups: the kill-group functions on real process groups, then every way
 * a run is stopped (timeout, AbortSignal, unsubscribe, leftovers after exit) in both modes,
 * proving that no process of the tree survives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopGroup } from '../../../src/process/terminate/kill-group';
import { groupAlive, signalGroup } from '../../../src/process/terminate/process-groups';
import {
  allPids,
  childPids,
  fixture,
  isAlive,
  killPids,
  makeTempDir,
  MODES,
  newChildren,
  nodeFixture,
  readTreePids,
  removeDir,
  startRun,
  waitFor,
  waitForDeath,
} from '../../helpers';

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
    const stop = stopGroup(child.pid!, 500);
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
      const stop = stopGroup(child.pid!, 5000);
      await stop.done;
      expect(stop.forced).toBe(false);
      await waitForDeath(pids);
      expect(groupAlive(child.pid!)).toBe(false);
    } finally {
      removeDir(dir);
    }
  });

  it('escalates to SIGKILL after the grace when a member ignores SIGTERM', async () => {
    const child = await startGroup('ignore-sigterm.js');
    leftovers = [child.pid!];
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const stop = stopGroup(child.pid!, 300);
    expect(stop.forced).toBe(false);
    await stop.done;
    expect(stop.forced).toBe(true);
    expect(await exited).toBe('SIGKILL');
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
    const stop = stopGroup(zombie, 5000);
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

  describe('timeout', () => {
    it('ends with exit code -1, keeps the output so far and kills the whole tree', async () => {
      const file = pidFile();
      const result = await nodeFixture('grandchildren.js', [file, 'hang'], { terminal, timeout: 3 }).run();
      leftovers = allPids(readTreePids(file));
      expect(result).toMatchObject({
        exitCode: -1,
        timedOut: true,
        cancelled: false,
        reason: 'timeout',
        forced: false,
        error: 'timed out after 3 s; the process group was stopped',
      });
      expect(result.output).toContain('ready\n');
      await waitForDeath(leftovers);
    });

    it('takes the timeout of one run from run options over the process option', async () => {
      const result = await nodeFixture('print-then-hang.js', [], { terminal, timeout: 600 }).run({ timeout: 2 });
      expect(result).toMatchObject({ exitCode: -1, timedOut: true });
      expect(result.output).toContain('before hang');
      if (!terminal) expect(result.stderr).toBe('warn\n');
      await waitForDeath([Number(/pid=(\d+)/.exec(result.output)![1])]);
    });
  });

  if (!terminal) {
    it('kills a child that ignores SIGTERM with SIGKILL after killGrace', async () => {
      const result = await nodeFixture('ignore-sigterm.js', [], { timeout: 3, killGraceMs: 500 }).run();
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
      const result = await nodeFixture('ignore-sigterm.js', [], { terminal, timeout: 3, killGraceMs: 500 }).run();
      expect(result).toMatchObject({ exitCode: -1, timedOut: true });
      await waitForDeath([Number(/pid=(\d+)/.exec(result.output)![1])]);
    });
  }

  it('gives the result of a stopped run only once a child ignoring SIGTERM and SIGHUP was SIGKILLed', async () => {
    const result = await nodeFixture('ignore-sigterm.js', ['hup'], { terminal, timeout: 3, killGraceMs: 500 }).run();
    expect(result).toMatchObject({
      exitCode: -1,
      timedOut: true,
      forced: true,
      error: 'timed out after 3 s; it ignored SIGTERM and was killed with SIGKILL after 0.5 s',
    });
    await waitForDeath([Number(/pid=(\d+)/.exec(result.output)![1])]);
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
        const run = startRun(nodeFixture('ignore-sigterm.js', [], { killGraceMs: 500 }).events({ signal: controller.signal }));
        await run.waitForOutput('ready');
        controller.abort();
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
      const run = startRun(nodeFixture('ignore-sigterm.js', [], { terminal, killGraceMs: 500 }).events());
      await run.waitForOutput('ready');
      const pid = Number(/pid=(\d+)/.exec(run.output())![1]);
      leftovers = [pid];
      run.subscription.unsubscribe();
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
      const result = await nodeFixture('grandchildren.js', [file, 'exit'], { terminal, killLeftovers: false }).run();
      const tree = readTreePids(file);
      leftovers = allPids(tree);
      expect(result).toMatchObject({ exitCode: 0, output: 'ready\n' });
      // A terminal hangs up its group when it closes: only the nohup'd grandchild outlives it there.
      const survivors = terminal ? [tree.nohup] : [tree.holder, tree.nohup];
      expect(survivors.filter(isAlive)).toEqual(survivors);
    });
  });
});
