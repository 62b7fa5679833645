/**
 * The fast spawner (RXO_SPAWNER=fast: posix_spawn through build/rxo-spawner.node) against real
 * processes: whatever a pipe child promises with Node's spawn holds with it too (exit codes and
 * signals, stdin, env and cwd, its own session and group, no descriptor of ours in the child, none
 * left in the host, the same spawn errors), each checked side by side with RXO_SPAWNER=node.
 * It is the default; the guarantee, process and runnable suites pass with either spawner.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { defaults } from '../../../src/defaults';
import { CommandProcess } from '../../../src/runnable/command-process';
import { fastSpawn, fastSpawnerActive, spawnerChoice } from '../../../src/process/spawn/fast-spawn';
import { lifelinePath } from '../../../src/process/spawn/lifeline';
import { childPids, fixture, makeTempDir, nodeFixture, removeDir, sha256, startPid, startRun, waitFor } from '../../helpers';

const SPAWNERS = ['fast', 'node'] as const;
const saved = { spawner: process.env.RXO_SPAWNER, lifeline: process.env.RXO_LIFELINE };

function restore(name: 'RXO_SPAWNER' | 'RXO_LIFELINE', value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** Runs `body` with RXO_SPAWNER set to `spawner` (and RXO_LIFELINE=0 when `lifeline` is false). */
async function using<T>(spawner: 'fast' | 'node', body: () => Promise<T>, options: { lifeline?: boolean } = {}): Promise<T> {
  process.env.RXO_SPAWNER = spawner;
  if (options.lifeline === false) process.env.RXO_LIFELINE = '0';
  try {
    return await body();
  } finally {
    restore('RXO_SPAWNER', saved.spawner);
    restore('RXO_LIFELINE', saved.lifeline);
  }
}

/** Children of this process that ended and were not reaped. */
function zombies(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return state === 'Z' && Number(ppid) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const sh = (script: string, options: Record<string, unknown> = {}): CommandProcess =>
  new CommandProcess({ command: '/bin/sh', args: ['-c', script], ...options });

describe('the fast spawner', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => removeDir(dir));

  it('is built and loads on Linux (the build falls back with a warning, CI must not)', () => {
    const active = fastSpawnerActive({ RXO_SPAWNER: 'fast' });
    if (process.env.CI === 'true' || process.platform === 'linux') expect(active).toBe(true);
    expect(fastSpawnerActive({ RXO_SPAWNER: 'node' })).toBe(false);
  });

  it('names RXO_SPAWNER and the value when it is neither node nor fast', () => {
    expect(() => spawnerChoice({ RXO_SPAWNER: 'vfork' })).toThrow(/RXO_SPAWNER.*"node" or "fast".*vfork/);
    expect(spawnerChoice({})).toBe(defaults.spawner);
    expect(defaults.spawner).toBe('fast');
  });

  it.each(SPAWNERS)('with %s: exit codes, signals, output on both streams, stdin byte-exact', async (spawner) => {
    await using(spawner, async () => {
      const input = Buffer.from('línea\u0000 two\n'.repeat(5000));
      const [three, killed, both, stdin] = await Promise.all([
        nodeFixture('exit.js', ['3']).run(),
        sh('kill -USR2 $$').run(),
        nodeFixture('print.js', ['--out', 'to out\n', '--err', 'to err\n']).run(),
        nodeFixture('stdin-report.js', [], { input }).run(),
      ]);
      expect(three).toMatchObject({ exitCode: 3, signal: null });
      expect(killed).toMatchObject({ signal: 'SIGUSR2' });
      expect(both).toMatchObject({ exitCode: 0, output: 'to out\n', stderr: 'to err\n' });
      expect(stdin.output).toBe(`${input.length} ${sha256(input)}\n`);
    });
  });

  it.each(SPAWNERS)('with %s: env and cwd as given; the run leads its own session and process group', async (spawner) => {
    await using(spawner, async () => {
      const run = startRun(
        sh('echo "$RXO_PROBE $(pwd)"; set -- $(cut -d" " -f5,6 /proc/$$/stat); echo "$1 $2"', {
          cwd: dir,
          env: { RXO_PROBE: 'probe value' },
        }).events(),
      );
      const result = await run.result;
      const [probe, ids] = result.output.trim().split('\n');
      expect(probe).toBe(`probe value ${dir}`);
      const leader = startPid(run);
      expect(ids).toBe(`${leader} ${leader}`);
    });
  });

  it('is the one that starts the run: the child writes to a pipe (Node gives it a socket pair)', async () => {
    const probe = 'readlink /proc/$$/fd/1';
    // Twice each, alternating: a second load of the module (a new module registry) must not fall back.
    for (let i = 0; i < 2; i += 1) {
      expect((await using('fast', () => sh(probe).run())).output).toMatch(/^pipe:/);
      expect((await using('node', () => sh(probe).run())).output).toMatch(/^socket:/);
      jest.resetModules();
    }
    const again = jest.requireActual<typeof import('../../../src/process/spawn/fast-spawn')>('../../../src/process/spawn/fast-spawn');
    expect(again.fastSpawnerActive({ RXO_SPAWNER: 'fast' })).toBe(true);
  });

  it('gives the child the same descriptors as Node does (none of ours, even with another run open)', async () => {
    const probe = "cd /proc/$$/fd && echo *";
    const seen = await using('node', async () => (await sh(probe).run()).output);
    const other = await using('fast', async () => {
      const holder = startRun(sh('echo up; exec sleep 30').events());
      await holder.waitForOutput('up');
      try {
        return (await sh(probe).run()).output;
      } finally {
        holder.subscription.unsubscribe();
      }
    });
    expect(other).toBe(seen);
    expect(other.trim().split(' ')).toEqual(expect.arrayContaining(['0', '1', '2']));
  });

  it('leaves no descriptor and no child behind in the host after 60 runs', async () => {
    await using('fast', async () => {
      await nodeFixture('exit.js', ['0']).run(); // one-time handles (the addon, libuv) first
      const before = readdirSync('/proc/self/fd').length;
      const children = childPids();
      for (let i = 0; i < 6; i += 1) {
        await Promise.all(Array.from({ length: 10 }, (_, j) => sh(`echo ${j}; echo e >&2`, { input: 'x' }).run()));
      }
      await waitFor(() => readdirSync('/proc/self/fd').length <= before, 'the descriptors are back', 5000);
      expect(readdirSync('/proc/self/fd').length).toBe(before);
      expect(childPids()).toEqual(children); // every child reaped (a zombie is not listed: see below)
      expect(zombies()).toEqual([]);
    });
  });

  it('reports a missing binary and E2BIG with the fields Node gives (an event, a throw)', async () => {
    expect(fastSpawnerActive({ RXO_SPAWNER: 'fast' })).toBe(true);
    const missing = `${dir}/no-such-binary`;
    const caught = (child: { once(name: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown }): Promise<NodeJS.ErrnoException> =>
      new Promise((resolve) => child.once('error', resolve));
    const fields = ({ message, code, errno, syscall, path, spawnargs }: NodeJS.ErrnoException & { spawnargs?: string[] }) => ({ message, code, errno, syscall, path, spawnargs });
    const options = { cwd: dir, env: { PATH: '/usr/bin:/bin' } };
    const fast = await caught(fastSpawn(missing, ['a'], { ...options, stdinPipe: false }));
    const node = await caught(spawn(missing, ['a'], { ...options, stdio: 'pipe', detached: true }));
    expect(fields(fast)).toEqual(fields(node));
    expect(fast.code).toBe('ENOENT');
    const huge = ['x'.repeat(131072)];
    const thrown = (start: () => unknown): NodeJS.ErrnoException => {
      try {
        start();
      } catch (error) {
        return error as NodeJS.ErrnoException;
      }
      throw new Error('no error was thrown');
    };
    const fastBig = thrown(() => fastSpawn('/bin/true', huge, { ...options, stdinPipe: false }));
    const nodeBig = thrown(() => spawn('/bin/true', huge, { ...options, stdio: 'pipe', detached: true }));
    expect(fields(fastBig)).toEqual(fields(nodeBig));
    expect(fastBig.code).toBe('E2BIG');
  });

  it.each(SPAWNERS)('with %s: a run of a missing binary or a too long argument is a spawn error', async (spawner) => {
    const [missing, tooLong] = await using(spawner, () =>
      Promise.all([
        new CommandProcess({ command: `${dir}/no-such-binary` }).run(),
        new CommandProcess({ command: process.execPath, args: [fixture('exit.js'), 'x'.repeat(131072)] }).run(),
      ]),
    );
    expect(missing).toMatchObject({ exitCode: 127, reason: 'spawn-error' });
    expect(tooLong).toMatchObject({ reason: 'spawn-error' });
    expect(tooLong.error).toMatch(/E2BIG/);
  });

  it('runs under the lifeline when it is built: the group leader is the lifeline, the command its child', async () => {
    if (!lifelinePath()) return expect(process.env.CI).not.toBe('true');
    await using('fast', async () => {
      const run = startRun(nodeFixture('parent-report.js').events());
      const report = JSON.parse((await run.result).output) as { ppid: number; parent: string };
      expect(report.ppid).toBe(startPid(run));
      expect(report.parent).toBe('rxo-lifeline');
    });
  });
});
