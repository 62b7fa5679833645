/**
 * Guarantee: descendants that leave the process group are caught too. A command that starts
 * `setsid sleep 300 &` (it leaves the group, and its parent, the shell, exits at once: a double
 * fork) and spec/fixtures/lifeline-tree.js (a SIGTERM-ignoring child, a plain `sleep` and an
 * escaped loop appending to a file, started the same way) are run in pipe and in terminal mode.
 * After a normal exit and after `timeout`, once the result has come, nothing they started is alive
 * any more and the file stops growing: the lifeline is a child subreaper, so the escaped processes
 * are re-parented to it and it ends them. With `killLeftovers: false` they are kept (and this
 * spec ends them): that is the documented limit. Timeouts and the kill grace run on a virtual clock
 * (the trees are real).
 *
 * The lifeline (build/rxo-lifeline) must be built (`npm run build`); without it these fail.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { advanceUntilSettled, isAlive, isDead, killPids, makeTempDir, MODES, nodeFixture, removeDir, startRun, VirtualClock, waitFor } from '../helpers';
import { CommandProcess } from '../../src/runnable/command-process';
import { STOP_POLL_MS } from '../../src/process/terminate/kill-group';

const GONE_WITHIN_MS = 5000;

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

describe.each(MODES)('descendants that left the process group are caught, $mode', ({ terminal }) => {
  let dir: string;
  let counter = 0;
  let leftovers: number[] = [];

  beforeAll(() => {
    if (!existsSync(resolve(__dirname, '..', '..', 'build', 'rxo-lifeline'))) {
      throw new Error('build/rxo-lifeline is missing: run `npm run build` before this spec');
    }
    dir = makeTempDir('rxo-escaped-');
  });
  afterEach(() => {
    killPids(leftovers);
    leftovers = [];
  });
  afterAll(() => removeDir(dir));

  /** `sh -c 'setsid sleep 300 & echo $!'`: the pid printed is a process in a session of its own. */
  const setsidSleep = (options = {}) =>
    new CommandProcess({ command: 'sh', args: ['-c', 'setsid sleep 300 </dev/null >/dev/null 2>&1 & echo "escaped=$!"'], terminal, ...options });
  const escapedPid = (output: string): number => Number(/escaped=(\d+)/.exec(output)?.[1]);

  it('`setsid sleep 300 &` is gone once the result of a normal exit has come', async () => {
    const result = await setsidSleep().run();
    expect(result).toMatchObject({ exitCode: 0, reason: 'exit' });
    const pid = escapedPid(result.output);
    expect(pid).toBeGreaterThan(1);
    leftovers = [pid];
    await waitFor(() => isDead(pid), `the escaped sleep ${pid} is gone`, GONE_WITHIN_MS);
  });

  it('a tree with an escaped, orphaned loop is gone after a normal exit, and the loop stops writing', async () => {
    counter += 1;
    const pidFile = join(dir, `tree-${counter}.json`);
    const appendFile = join(dir, `append-${counter}.txt`);
    const result = await nodeFixture('lifeline-tree.js', [pidFile, appendFile, 'exit'], { terminal, killGraceMs: 500 }).run();
    expect(result).toMatchObject({ exitCode: 0, reason: 'exit', output: 'ready\n' });
    const tree = JSON.parse(readFileSync(pidFile, 'utf8')) as Record<string, number>;
    const pids = [tree.trapper, tree.sleeper, tree.escaped];
    leftovers = pids;
    await waitFor(() => pids.every(isDead), `the leftovers ${pids.join(', ')} are gone`, GONE_WITHIN_MS);
    const size = sizeOf(appendFile);
    await new Promise((resolveWait) => setTimeout(resolveWait, 150));
    expect(sizeOf(appendFile)).toBe(size);
  });

  it('on timeout the escaped loop goes with the tree, and the result says timed out (forced: the trapper ignored SIGTERM)', async () => {
    counter += 1;
    const pidFile = join(dir, `tree-${counter}.json`);
    const appendFile = join(dir, `append-${counter}.txt`);
    // The timeout and the kill grace run on a virtual clock, advanced once the tree is complete.
    const clock = new VirtualClock();
    const run = startRun(nodeFixture('lifeline-tree.js', [pidFile, appendFile], { terminal, timeout: 2, killGraceMs: 500, scheduler: clock }).events());
    await run.waitForOutput('ready\n');
    clock.advance(1999);
    expect(run.events.filter((event) => event.type === 'result')).toEqual([]);
    clock.advance(1);
    await advanceUntilSettled(clock, run.result, STOP_POLL_MS);
    const result = await run.result;
    expect(result).toMatchObject({ exitCode: -1, timedOut: true, reason: 'timeout', forced: true });
    const tree = JSON.parse(readFileSync(pidFile, 'utf8')) as Record<string, number>;
    const pids = [tree.leader, tree.trapper, tree.sleeper, tree.escaped];
    leftovers = pids;
    await waitFor(() => pids.every(isDead), `the tree ${pids.join(', ')} is gone`, GONE_WITHIN_MS);
  });

  it('on timeout `setsid sleep 300 &` started by a command that hangs is gone too', async () => {
    const clock = new VirtualClock();
    const run = startRun(new CommandProcess({
      command: 'sh',
      args: ['-c', 'setsid sleep 300 </dev/null >/dev/null 2>&1 & echo "escaped=$!"; exec sleep 300'],
      terminal,
      timeout: 1,
      scheduler: clock,
    }).events());
    await run.waitForOutput('escaped=');
    clock.advance(1000);
    // Polls every STOP_POLL_MS of virtual time, 20 ms of real time apart: the 5 s grace is 4 s of
    // real time away, and `sleep` obeys SIGTERM at once, so the stop is not forced.
    await advanceUntilSettled(clock, run.result, STOP_POLL_MS);
    const result = await run.result;
    expect(result).toMatchObject({ timedOut: true, forced: false });
    const pid = escapedPid(result.output);
    leftovers = [pid];
    await waitFor(() => isDead(pid), `the escaped sleep ${pid} is gone`, GONE_WITHIN_MS);
  });

  it('with killLeftovers: false an escaped process is kept after a normal exit (the documented limit)', async () => {
    // The command waits until the escaped process leads a session of its own (field 6 of its
    // /proc stat is its own pid): before that it is still in the terminal's session, and the
    // terminal's hang-up when the command ends would reach it, whatever the lifeline does.
    const result = await new CommandProcess({
      command: 'sh',
      args: ['-c', 'setsid sleep 300 </dev/null >/dev/null 2>&1 & p=$!; until [ "$(cut -d" " -f6 /proc/$p/stat)" = "$p" ]; do :; done; echo "escaped=$p"'],
      terminal,
      killLeftovers: false,
    }).run();
    const pid = escapedPid(result.output);
    leftovers = [pid];
    expect(result.exitCode).toBe(0);
    expect(isAlive(pid)).toBe(true);
  });
});
