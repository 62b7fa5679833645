/**
 * Guarantee: nothing is left running. On every way a run ends (exit 0, exit 3, timeout,
 * unsubscribe, AbortSignal) and on every way a strategy halts (unsubscribing from `parallel`
 * mid-run, `fallback` after a success, `sequential` with `stopOnFailure`), in pipe and terminal
 * mode, the whole process group is gone afterwards: the leader, the `sh` in the middle and the
 * grandchildren it started with `&` and with `nohup` (orphans by then), and in terminal mode the
 * supervisor too. A leader that traps SIGTERM is SIGKILLed after `killGrace` (`forced: true`);
 * leftovers after a normal exit are ended by default and kept with `killLeftovers: false`. No
 * zombie child of this host remains.
 *
 * The tree is spec/fixtures/guarantee-tree.js. Deaths are awaited with waitFor under a deadline;
 * nothing sleeps to order events. Timeouts and the kill grace run on a virtual clock the test
 * advances (the trees are real). With RXO_LONG_TESTS=1 each single-run ending runs several trees
 * at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, toArray, type Subscription } from 'rxjs';
import type { CommandProcessOptions } from '../../src/runnable/command-process';
import type { ProcessEvent, ProcessResult, StartEvent } from '../../src/process/types';
import { fallback, runWithFallback } from '../../src/strategies/fallback';
import { parallel } from '../../src/strategies/parallel';
import { runSequential } from '../../src/strategies/sequential';
import {
  groupMembers,
  isAlive,
  isDead,
  killPids,
  makeTempDir,
  MODES,
  nodeFixture,
  pollGroupGone,
  removeDir,
  startRun,
  VirtualClock,
  waitFor,
} from '../helpers';

const LONG = process.env.RXO_LONG_TESTS === '1';
/** Trees run at once for each single-run ending. */
const ROUNDS = LONG ? 4 : 1;
/** Upper bound for a stopped tree to be gone. */
const GONE_WITHIN_MS = 10_000;

interface Tree {
  readonly leader: number;
  readonly middle: number;
  readonly nohup: number;
  readonly background: number;
}

/** `[state, ppid, pgrp]` of a pid, from /proc; undefined once it is gone. */
function stat(pid: string | number): [string, number, number] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return [fields[0], Number(fields[1]), Number(fields[2])];
  } catch {
    return undefined;
  }
}

function pids(): string[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
}

/** Children of this host (the jest worker) that are zombies. */
function zombieChildren(): number[] {
  return pids().filter((pid) => {
    const fields = stat(pid);
    return fields !== undefined && fields[1] === process.pid && fields[0] === 'Z';
  }).map(Number);
}

function treeOf(file: string): number[] {
  const tree = JSON.parse(readFileSync(file, 'utf8')) as Tree;
  return [tree.leader, tree.middle, tree.nohup, tree.background];
}

describe.each(MODES)('nothing is left running, $mode', ({ terminal }) => {
  let dir: string;
  let counter = 0;
  let files: string[] = [];
  let subscriptions: Subscription[] = [];

  /** A new pid file name for one tree. */
  const pidFile = (): string => {
    const file = join(dir, `tree-${(counter += 1)}.json`);
    files.push(file);
    return file;
  };
  const tree = (file: string, end: string, flags: string[] = [], options: Partial<CommandProcessOptions> = {}) =>
    nodeFixture('guarantee-tree.js', [file, end, ...flags], { terminal, processId: `tree-${counter}`, ...options });

  /**
   * Every pid of the trees and every member of the groups led by `groups` is dead within the
   * deadline, and no zombie child of this host remains.
   */
  async function expectAllGone(groups: readonly number[], treePids: readonly number[]): Promise<void> {
    expect(groups.length).toBeGreaterThan(0);
    expect(treePids.length).toBeGreaterThan(0);
    await waitFor(
      () => treePids.every(isDead) && groups.every((pgid) => groupMembers(pgid).length === 0),
      `the process groups ${groups.join(', ')} and the tree pids ${treePids.join(', ')} are gone`,
      GONE_WITHIN_MS,
    );
    await waitFor(() => zombieChildren().length === 0, 'no zombie child of the host remains', GONE_WITHIN_MS);
  }

  beforeAll(() => {
    dir = makeTempDir('rxo-guarantee-tree-');
  });
  afterEach(async () => {
    for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
    // Whatever a failed test left behind: kill it, so the next test starts clean.
    for (const file of files.splice(0)) if (existsSync(file)) killPids(treeOf(file));
    await waitFor(() => zombieChildren().length === 0, 'no zombie child of the host remains', GONE_WITHIN_MS);
  });
  afterAll(() => removeDir(dir));

  /** Runs ROUNDS trees at once to their result; returns their results and every tree pid. */
  async function runTrees(
    end: string,
    flags: string[] = [],
    options: Partial<CommandProcessOptions> = {},
  ): Promise<{ results: ProcessResult[]; treePids: number[] }> {
    const made = Array.from({ length: ROUNDS }, () => {
      const file = pidFile();
      return { file, process: tree(file, end, flags, options) };
    });
    const results = await Promise.all(made.map(({ process }) => process.run()));
    return { results, treePids: made.flatMap(({ file }) => treeOf(file)) };
  }

  /** Starts ROUNDS trees that hang, waits until each is complete; returns the live runs. */
  async function startTrees(flags: string[] = [], options: Partial<CommandProcessOptions> = {}, signal?: AbortSignal) {
    const runs = Array.from({ length: ROUNDS }, () => {
      const file = pidFile();
      const run = startRun(tree(file, 'hang', flags, options).events({ signal }));
      subscriptions.push(run.subscription);
      return { file, run };
    });
    await Promise.all(runs.map(({ run }) => run.waitForOutput('ready')));
    const treePids = runs.flatMap(({ file }) => treeOf(file));
    const groups = runs.map(({ run }) => (run.events[0] as StartEvent).pid);
    // Everything is running before the run is ended (the middle `sh` has exited on its own).
    const started = runs.map(({ file }) => JSON.parse(readFileSync(file, 'utf8')) as Tree);
    expect(started.flatMap((t) => [t.leader, t.nohup, t.background]).filter(isDead)).toEqual([]);
    return { runs, treePids, groups };
  }

  it('success (exit 0): the result comes and the whole group is gone, grandchildren included (leftovers are ended by default)', async () => {
    const { results, treePids } = await runTrees('exit:0');
    for (const result of results) expect(result).toMatchObject({ exitCode: 0, reason: 'exit', output: 'ready\n', forced: false });
    await expectAllGone(results.map((result) => result.pid!), treePids);
  });

  it('failure (exit 3): the result says 3 and the whole group is gone', async () => {
    const { results, treePids } = await runTrees('exit:3');
    for (const result of results) {
      expect(result).toMatchObject({ exitCode: 3, reason: 'exit', error: 'exited with code 3', output: 'ready\n' });
    }
    await expectAllGone(results.map((result) => result.pid!), treePids);
  });

  it('timeout: the result says timed out and the whole group is gone', async () => {
    const clock = new VirtualClock();
    const { runs, treePids, groups } = await startTrees([], { timeout: 3, scheduler: clock });
    clock.advance(2999);
    expect(runs.every(({ run }) => run.events.every((event) => event.type !== 'result'))).toBe(true);
    clock.advance(1);
    for (const pgid of groups) await pollGroupGone(clock, pgid, GONE_WITHIN_MS);
    const results = await Promise.all(runs.map(({ run }) => run.result));
    for (const result of results) {
      expect(result).toMatchObject({ exitCode: -1, timedOut: true, reason: 'timeout', forced: false, output: 'ready\n' });
    }
    await expectAllGone(results.map((result) => result.pid!), treePids);
  });

  it('unsubscribe: no result is emitted and the whole group is gone', async () => {
    const { runs, treePids, groups } = await startTrees();
    for (const { run } of runs) run.subscription.unsubscribe();
    await expectAllGone(groups, treePids);
    for (const { run } of runs) expect(run.events.filter((event) => event.type === 'result')).toEqual([]);
  });

  it('AbortSignal: the result says cancelled and the whole group is gone', async () => {
    const controller = new AbortController();
    const { runs, treePids, groups } = await startTrees([], {}, controller.signal);
    controller.abort();
    const results = await Promise.all(runs.map(({ run }) => run.result));
    for (const result of results) expect(result).toMatchObject({ cancelled: true, reason: 'cancelled', forced: false });
    await expectAllGone(groups, treePids);
  });

  it.each(['timeout', 'abort'] as const)(
    'a leader that traps SIGTERM (and SIGHUP) is SIGKILLed after killGrace 0.5 s on %s, and its result says forced',
    async (how) => {
      const controller = new AbortController();
      const clock = new VirtualClock();
      const options = { killGraceMs: 500, scheduler: clock, ...(how === 'timeout' ? { timeout: 3 } : {}) };
      const { runs, treePids, groups } = await startTrees(['--trap'], options, controller.signal);
      const leaders = runs.map(({ file }) => treeOf(file)[0]);
      if (how === 'abort') controller.abort();
      else clock.advance(3000);
      // Not before the grace is over: 499 ms into it every leader lives and no result has come.
      clock.advance(499);
      expect(leaders.filter(isDead)).toEqual([]);
      expect(runs.every(({ run }) => run.events.every((event) => event.type !== 'result'))).toBe(true);
      clock.advance(1);
      const results = await Promise.all(runs.map(({ run }) => run.result));
      for (const result of results) {
        expect(result).toMatchObject({ forced: true, signal: 'SIGKILL' });
        expect(result.error).toContain('it ignored SIGTERM and was killed with SIGKILL after 0.5 s');
        if (how === 'abort') expect(result).toMatchObject({ cancelled: true, reason: 'cancelled' });
        else expect(result).toMatchObject({ timedOut: true, exitCode: -1, reason: 'timeout' });
      }
      await expectAllGone(groups, treePids);
    },
  );

  it('after a normal exit, killLeftovers: false keeps the leftover group members running (the test ends them)', async () => {
    const { results, treePids } = await runTrees('exit:0', [], { killLeftovers: false });
    for (const result of results) expect(result).toMatchObject({ exitCode: 0, output: 'ready\n' });
    const trees = files.slice(-ROUNDS).map((file) => JSON.parse(readFileSync(file, 'utf8')) as Tree);
    // A closing terminal hangs up its foreground group: only the nohup'd grandchild outlives it there.
    const kept = trees.flatMap((t) => (terminal ? [t.nohup] : [t.nohup, t.background]));
    expect(kept.filter(isDead)).toEqual([]);
    // Still running after one more complete run (the leftovers are not merely slow to die).
    await nodeFixture('exit.js', ['0'], { terminal }).run();
    expect(kept.filter(isDead)).toEqual([]);
    killPids(kept);
    await expectAllGone(results.map((result) => result.pid!), treePids);
  });

  describe('the halt of a strategy', () => {
    it('unsubscribing from parallel mid-run ends every running group and starts nothing more', async () => {
      const trees = [pidFile(), pidFile(), pidFile()].map((file) => ({ file, process: tree(file, 'hang') }));
      const events: ProcessEvent[] = [];
      const subscription = from(trees.map((t) => t.process)).pipe(parallel({ maxWorkers: 2 })).subscribe((event) => events.push(event));
      subscriptions.push(subscription);
      await waitFor(() => existsSync(trees[0].file) && existsSync(trees[1].file), 'the first two trees are running', GONE_WITHIN_MS);
      const treePids = [...treeOf(trees[0].file), ...treeOf(trees[1].file)];
      const groups = events.filter((event): event is StartEvent => event.type === 'start').map((event) => event.pid);
      expect(groups).toHaveLength(2);
      subscription.unsubscribe();
      await expectAllGone(groups, treePids);
      expect(existsSync(trees[2].file)).toBe(false);
      expect(events.filter((event) => event.type === 'start')).toHaveLength(2);
      expect(events.filter((event) => event.type === 'result')).toEqual([]);
    });

    it('fallback after a success ends the group of every attempt made and never starts the next', async () => {
      const files3 = [pidFile(), pidFile(), pidFile()];
      const attempts = [tree(files3[0], 'exit:3'), tree(files3[1], 'exit:0'), tree(files3[2], 'exit:0')];
      const events = await lastValueFrom(from(attempts).pipe(fallback(), toArray()));
      const results = events.filter((event) => event.type === 'result');
      expect(results.map((event) => event.type === 'result' && event.result.exitCode)).toEqual([3, 0]);
      expect(existsSync(files3[2])).toBe(false);
      const groups = events.filter((event): event is StartEvent => event.type === 'start').map((event) => event.pid);
      await expectAllGone(groups, [...treeOf(files3[0]), ...treeOf(files3[1])]);
      // The Promise form halts the same way.
      const more = [pidFile(), pidFile(), pidFile()];
      const result = await runWithFallback([tree(more[0], 'exit:3'), tree(more[1], 'exit:0'), tree(more[2], 'exit:0')]);
      expect(result.exitCode).toBe(0);
      expect(existsSync(more[2])).toBe(false);
      await expectAllGone([result.pid!], [...treeOf(more[0]), ...treeOf(more[1])]);
    });

    it('sequential with stopOnFailure ends the group of every run made and never starts the one after the failure', async () => {
      const files3 = [pidFile(), pidFile(), pidFile()];
      const stages = [tree(files3[0], 'exit:0'), tree(files3[1], 'exit:3'), tree(files3[2], 'exit:0')];
      const results = await runSequential(stages, { stopOnFailure: true });
      expect(results.map((result) => result.exitCode)).toEqual([0, 3]);
      expect(existsSync(files3[2])).toBe(false);
      await expectAllGone(results.map((result) => result.pid!), [...treeOf(files3[0]), ...treeOf(files3[1])]);
    });
  });
});
