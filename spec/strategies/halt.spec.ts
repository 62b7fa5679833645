// halt: GNU parallel's --halt for parallel and batched. Marble tests prove the ordering (the
// trigger first, then stopped and never-started results; nothing subscribed after the halt);
// real processes prove that `now` kills the running ones, `soon` lets them finish, and nothing
// queued is ever spawned.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defer, from, fromEvent, lastValueFrom, map, merge, take, takeUntil, takeWhile, tap, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { withRetry } from '../../src/operators/retry';
import type { ProcessEvent, ProcessResult, RunOptions, Runnable, StartEvent } from '../../src/process/types';
import { batched, runBatched } from '../../src/strategies/batched';
import { checkHaltPolicy, formatHalt, haltLimit, haltReached, parseHalt, wasHalted, type HaltedResult, type HaltPolicy } from '../../src/strategies/halt-policy';
import { attemptsOf } from '../../src/operators/retried-result';
import { parallel, runParallel } from '../../src/strategies/parallel';
import { resultsById, toResults } from '../../src/strategies/results';
import { isAlive, isDead, tempDirs, waitFor } from '../helpers';
import { command, fixedResult, outputEvent, touches, waitsForFile } from './helpers';

const temp = tempDirs('rxo-halt-');
afterAll(() => temp.cleanup());

const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/**
 * A fake that honours the Runnable contract for `signal`: its run is `source`, and an abort ends
 * it at once with a cancelled result (as a real process does once its group is stopped).
 */
class AbortableFake implements Runnable {
  readonly runs: RunOptions[] = [];
  constructor(
    readonly processId: string,
    private readonly source: Observable<ProcessEvent>,
  ) {}
  events(options: RunOptions = {}): Observable<ProcessEvent> {
    this.runs.push(options);
    return defer(() => {
      if (!options.signal) return this.source;
      const aborted = fromEvent(options.signal, 'abort').pipe(take(1));
      const cancelled = aborted.pipe(
        map((): ProcessEvent => ({
          type: 'result',
          processId: this.processId,
          result: { ...fixedResult(this.processId, 143), cancelled: true, reason: 'cancelled', error: 'cancelled; the process group was stopped' },
          at: 0,
        })),
      );
      return merge(this.source.pipe(takeUntil(aborted)), cancelled).pipe(takeWhile((event) => event.type !== 'result', true));
    });
  }
}

const out = (id: string): ProcessEvent => outputEvent(id, id);
const ok = (id: string): ProcessEvent => ({ type: 'result', processId: id, result: fixedResult(id, 0), at: 0 });
const fail = (id: string): ProcessEvent => ({ type: 'result', processId: id, result: fixedResult(id, 1), at: 0 });
const halted = (id: string, policy: string, trigger: string): ProcessEvent => ({
  type: 'result',
  processId: id,
  result: expect.objectContaining({
    exitCode: 143,
    cancelled: true,
    halted: true,
    reason: 'cancelled',
    error: expect.stringMatching(new RegExp(`^stopped by halt ${policy} \\(1 \\w+, the last "${trigger}"\\); cancelled`)),
  }),
  at: 0,
});
const notStarted = (id: string, policy: string): ProcessEvent => ({
  type: 'result',
  processId: id,
  result: expect.objectContaining({
    exitCode: 130,
    reason: 'not-started',
    halted: true,
    cancelled: true,
    pid: null,
    error: expect.stringMatching(new RegExp(`^not started: halt ${policy} `)),
  }),
  // A run of one event: its result, numbered 0, stamped when the halt gave it.
  at: expect.any(Number),
  seq: 0,
});

describe('halt with parallel (marble)', () => {
  it('now,fail=1: the failure comes first, then the running process is stopped and the queued ones never start', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-a-(A|)', { a: out('a'), A: fail('a') });
      const b = cold('--b-------(B|)', { b: out('b'), B: ok('b') });
      const c = cold('-(C|)', { C: ok('c') });
      const fakes = [new AbortableFake('a', a), new AbortableFake('b', b), new AbortableFake('c', c), new AbortableFake('d', c)];
      const halt: HaltPolicy = { when: 'now', fail: 1 };
      expectObservable(from(fakes).pipe(parallel({ maxWorkers: 2, halt }))).toBe('-ab(ABCD|)', {
        a: out('a'),
        b: out('b'),
        A: fail('a'),
        B: halted('b', 'now,fail=1', 'a'),
        C: notStarted('c', 'now,fail=1'),
        D: notStarted('d', 'now,fail=1'),
      });
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('^--!');
      expectSubscriptions(c.subscriptions).toBe([]);
    });
  });

  it('soon,fail=1: the running process finishes as it would; the queued ones never start', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-a-(A|)', { a: out('a'), A: fail('a') });
      const b = cold('--b-------(B|)', { b: out('b'), B: ok('b') });
      const c = cold('-(C|)', { C: ok('c') });
      const fakes = [new AbortableFake('a', a), new AbortableFake('b', b), new AbortableFake('c', c), new AbortableFake('d', c)];
      expectObservable(from(fakes).pipe(parallel({ maxWorkers: 2, halt: { when: 'soon', fail: 1 } }))).toBe('-ab(ACD)--(B|)', {
        a: out('a'),
        b: out('b'),
        A: fail('a'),
        B: ok('b'),
        C: notStarted('c', 'soon,fail=1'),
        D: notStarted('d', 'soon,fail=1'),
      });
      expectSubscriptions(b.subscriptions).toBe('^---------!');
      expectSubscriptions(c.subscriptions).toBe([]);
    });
  });

  it('now,success=1: the first success stops the others', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const slow = cold('-----(S|)', { S: ok('slow') });
      const quick = cold('--(Q|)', { Q: ok('quick') });
      const failing = cold('-(F|)', { F: fail('failing') });
      const fakes = [new AbortableFake('failing', failing), new AbortableFake('slow', slow), new AbortableFake('quick', quick)];
      expectObservable(from(fakes).pipe(parallel({ maxWorkers: 3, halt: { when: 'now', success: 1 } }))).toBe('-F(QS|)', {
        F: fail('failing'),
        Q: ok('quick'),
        S: halted('slow', 'now,success=1', 'quick'),
      });
    });
  });

  it("fail='50%' halts once half of all submitted processes have failed (the count is not reached before)", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const f1 = cold('-(F|)', { F: fail('f1') });
      const f2 = cold('--(F|)', { F: fail('f2') });
      const q = cold('------(S|)', { S: ok('q') });
      const r = cold('-(S|)', { S: ok('r') });
      const fakes = [new AbortableFake('f1', f1), new AbortableFake('f2', f2), new AbortableFake('q', q), new AbortableFake('r', r)];
      // 4 processes: the limit is 2 failures. f1 alone does not halt (q starts in its place);
      // f2 does: r never starts, q (soon) finishes.
      expectObservable(from(fakes).pipe(parallel({ maxWorkers: 2, halt: { when: 'soon', fail: '50%' } }))).toBe('-a(cd)-(q|)', {
        a: fail('f1'),
        c: fail('f2'),
        d: notStarted('r', 'soon,fail=50%'),
        q: ok('q'),
      });
      expectSubscriptions(q.subscriptions).toBe('-^-----!');
      expectSubscriptions(r.subscriptions).toBe([]);
    });
  });

  it('a policy never reached runs everything as without one', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const a = cold('-(A|)', { A: fail('a') });
      const b = cold('--(B|)', { B: ok('b') });
      const fakes = [new AbortableFake('a', a), new AbortableFake('b', b)];
      expectObservable(from(fakes).pipe(parallel({ maxWorkers: 1, halt: { when: 'now', fail: 2 } }))).toBe('-A-(B|)', {
        A: fail('a'),
        B: ok('b'),
      });
    });
  });

  it("results the user's own abort cancelled are not marked halted", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const controller = new AbortController();
      const a = cold('-----(A|)', { A: ok('a') });
      cold('--x').subscribe(() => controller.abort());
      const fakes = [new AbortableFake('a', a)];
      expectObservable(from(fakes).pipe(parallel({ halt: { when: 'now', fail: 1 }, signal: controller.signal }))).toBe('--(A|)', {
        // Not prefixed "stopped by halt", no `halted` field.
        A: { type: 'result', processId: 'a', result: { ...fixedResult('a', 143), cancelled: true, reason: 'cancelled', error: 'cancelled; the process group was stopped' }, at: 0 },
      });
    });
  });

  it('each subscription counts afresh', async () => {
    const fakes = [new AbortableFake('a', from([fail('a')])), new AbortableFake('b', from([ok('b')]))];
    const run = from(fakes).pipe(parallel({ maxWorkers: 1, halt: { when: 'soon', fail: 1 } }), toResults(), toArray());
    for (let i = 0; i < 2; i += 1) {
      const results = await lastValueFrom(run);
      expect(results.map((r) => [r.processId, r.reason])).toEqual([
        ['a', 'exit'],
        ['b', 'not-started'],
      ]);
    }
    expect(fakes[0].runs).toHaveLength(2);
    expect(fakes[1].runs).toHaveLength(0);
  });
});

describe('halt with batched (marble)', () => {
  it('soon: the batch finishes, later batches never start and get not-started results', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-(A|)', { A: fail('a') });
      const b = cold('---(B|)', { B: ok('b') });
      const c = cold('-(C|)', { C: ok('c') });
      const fakes = [new AbortableFake('a', a), new AbortableFake('b', b), new AbortableFake('c', c), new AbortableFake('d', c)];
      expectObservable(from(fakes).pipe(batched({ batchSize: 2, halt: { when: 'soon', fail: 1 } }))).toBe('-A-(BCD|)', {
        A: fail('a'),
        B: ok('b'),
        C: notStarted('c', 'soon,fail=1'),
        D: notStarted('d', 'soon,fail=1'),
      });
      expectSubscriptions(b.subscriptions).toBe('^--!');
      expectSubscriptions(c.subscriptions).toBe([]);
    });
  });

  it('now: the rest of the batch is stopped; the count runs across batches', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const quickFail = cold('-----(F|)', { F: fail('x') });
      const slow = cold('---------(S|)', { S: ok('slow') });
      const fakes = [
        new AbortableFake('a', cold('-(A|)', { A: fail('a') })),
        new AbortableFake('b', cold('-(B|)', { B: ok('b') })),
        new AbortableFake('x', quickFail),
        new AbortableFake('slow', slow),
        new AbortableFake('late', cold('-(L|)', { L: ok('late') })),
      ];
      // fail=2: 'a' fails in batch 1, 'x' in batch 2 halts it: 'slow' is stopped, batch 3 never starts.
      expectObservable(from(fakes).pipe(batched({ batchSize: 2, halt: { when: 'now', fail: 2 } }))).toBe('-(ab)-(xsl|)', {
        a: fail('a'),
        b: ok('b'),
        x: fail('x'),
        s: { type: 'result', processId: 'slow', result: expect.objectContaining({ halted: true, error: expect.stringMatching(/^stopped by halt now,fail=2 \(2 failed, the last "x"\)/) }), at: 0 },
        l: notStarted('late', 'now,fail=2'),
      });
    });
  });

  it('maxWorkers limits how many of a batch run at once', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('--(A|)', { A: ok('a') });
      const b = cold('--(B|)', { B: ok('b') });
      const c = cold('-----(C|)', { C: ok('c') });
      const fakes = [new AbortableFake('a', a), new AbortableFake('b', b), new AbortableFake('c', c)];
      // c waits for a free worker (frame 2), though all three are in one batch.
      expectObservable(from(fakes).pipe(batched({ batchSize: 3, maxWorkers: 2 }))).toBe('--(AB)-(C|)', { A: ok('a'), B: ok('b'), C: ok('c') });
      expectSubscriptions(c.subscriptions).toBe('--^----!');
    });
  });
});

describe('halt policies', () => {
  it.each<[string, HaltPolicy | undefined]>([
    ['never', undefined],
    ['0', undefined],
    ['now,fail=1', { when: 'now', fail: 1 }],
    ['soon,fail=30%', { when: 'soon', fail: '30%' }],
    ['now,success=1', { when: 'now', success: 1 }],
    ['soon,done=5', { when: 'soon', done: 5 }],
    ['1', { when: 'soon', fail: 1 }],
    ['2', { when: 'now', fail: 1 }],
    ['-1', { when: 'soon', success: 1 }],
    ['-2', { when: 'now', success: 1 }],
  ])('parseHalt(%j)', (spec, expected) => {
    expect(parseHalt(spec)).toEqual(expected);
    if (expected) expect(parseHalt(formatHalt(expected))).toEqual(expected);
  });

  it.each(['', 'now', 'later,fail=1', 'now,fail=0', 'now,fail=-1', 'now,fail=1.5', 'now,fail=101%', 'now,fail=0%', 'now,crash=1', 'now,fail=1,success=1'])(
    'parseHalt(%j) is a TypeError naming the value',
    (spec) => {
      expect(() => parseHalt(spec)).toThrow(TypeError);
      expect(() => parseHalt(spec)).toThrow(`received ${JSON.stringify(spec)} (string)`);
    },
  );

  it.each<[unknown, RegExp]>([
    [{ when: 'later', fail: 1 }, /halt\.when must be 'now' or 'soon', received "later"/],
    [{ when: 'now' }, /halt must be exactly one of fail, success or done, received "none"/],
    [{ when: 'now', fail: 1, success: 1 }, /exactly one of fail, success or done, received "fail and success"/],
    [{ when: 'now', fail: 0 }, /halt\.fail must be a positive integer or a percentage .* received 0 \(number\)/],
    [{ when: 'now', done: '150%' }, /halt\.done .* received "150%"/],
    ['now,fail=1', /halt must be an object/],
  ])('checkHaltPolicy rejects %j', (value, message) => {
    expect(() => checkHaltPolicy('halt', value)).toThrow(message);
  });

  it('parallel, batched and their Promise forms reject a bad policy before anything runs', async () => {
    const dir = temp.make();
    const marker = join(dir, 'ran');
    const bad = { when: 'sometime', fail: 1 } as unknown as HaltPolicy;
    expect(() => parallel({ halt: bad })).toThrow(TypeError);
    expect(() => batched({ batchSize: 1, halt: bad })).toThrow(TypeError);
    await expect(runParallel([touches('t', marker)], { halt: bad })).rejects.toThrow(/halt\.when/);
    await expect(runBatched([touches('t', marker)], { batchSize: 1, halt: bad })).rejects.toThrow(/halt\.when/);
    expect(existsSync(marker)).toBe(false);
  });

  it('percentages are of the total, rounded up, at least 1', () => {
    expect(haltLimit({ when: 'now', fail: '30%' }, 10)).toBe(3);
    expect(haltLimit({ when: 'now', fail: '30%' }, 11)).toBe(4);
    expect(haltLimit({ when: 'now', fail: '1%' }, 5)).toBe(1);
    expect(haltLimit({ when: 'now', fail: '100%' }, 6)).toBe(6);
    expect(haltLimit({ when: 'now', fail: 3 }, 1)).toBe(3);
  });

  it('haltReached counts the results that meet the condition, not the ones the halt made', () => {
    const halt: HaltPolicy = { when: 'now', success: 1 };
    const stopped: HaltedResult = { ...fixedResult('b', 143), halted: true, cancelled: true };
    expect(haltReached(halt, [fixedResult('a', 0), stopped])).toBe(true);
    expect(haltReached(halt, [fixedResult('a', 1), stopped])).toBe(false);
    expect(haltReached({ when: 'soon', fail: 1 }, [fixedResult('a', 0), stopped])).toBe(false);
  });
});

/** The start events and results of a real run through `operator`. */
async function runReal(processes: Runnable[], operator: (source: Observable<Runnable>) => Observable<ProcessEvent>, onStart?: (start: StartEvent, starts: StartEvent[]) => void) {
  const starts: StartEvent[] = [];
  const results = await lastValueFrom(
    from(processes).pipe(
      operator,
      tap((event) => {
        if (event.type === 'start') {
          starts.push(event);
          onStart?.(event, starts);
        }
      }),
      toResults(),
      toArray(),
    ),
  );
  return { starts, results };
}

describe('halt (real processes)', () => {
  /** 6 jobs, maxWorkers 2: the first fails at once, the second sleeps, four touch a marker each. */
  function sixJobs(dir: string, second: Runnable): Runnable[] {
    return [command('fails', 'false'), second, ...[1, 2, 3, 4].map((n) => touches(`queued-${n}`, join(dir, `ran-${n}`)))];
  }

  it('now,fail=1: the running sleeper is killed, the queued jobs never run, each job has exactly one result', async () => {
    const dir = temp.make();
    const jobs = sixJobs(dir, command('sleeper', 'sleep', ['30']));
    const { starts, results } = await runReal(jobs, parallel({ maxWorkers: 2, halt: { when: 'now', fail: 1 } }));
    expect(starts.map((s) => s.processId).sort()).toEqual(['fails', 'sleeper']);
    expect(results.map((r) => r.processId).sort()).toEqual(jobs.map((j) => j.processId).sort());
    const byId = resultsById(results);
    expect(byId.get('fails')).toMatchObject({ exitCode: 1, reason: 'exit' });
    expect(wasHalted(byId.get('fails') ?? fixedResult('missing'))).toBe(false);
    expect(byId.get('fails')).not.toHaveProperty('halted');
    expect(byId.get('sleeper')).toMatchObject({ halted: true, cancelled: true, reason: 'cancelled', exitCode: 143 });
    expect(byId.get('sleeper')?.error).toMatch(/^stopped by halt now,fail=1 \(1 failed, the last "fails"\); cancelled; the process group was stopped$/);
    for (const n of [1, 2, 3, 4]) {
      expect(byId.get(`queued-${n}`)).toMatchObject({ reason: 'not-started', halted: true, pid: null });
      expect(existsSync(join(dir, `ran-${n}`))).toBe(false);
    }
    expect(starts.every((s) => isDead(s.pid))).toBe(true);
  });

  it('soon,fail=1: the running job finishes normally, nothing new starts', async () => {
    const dir = temp.make();
    const release = join(dir, 'release');
    const jobs = sixJobs(dir, waitsForFile('waiter', release, 'finished'));
    let failedSeen = false;
    const run = runReal(
      jobs,
      (source) =>
        source.pipe(
          parallel({ maxWorkers: 2, halt: { when: 'soon', fail: 1 } }),
          tap((event) => {
            if (event.type === 'result' && event.processId === 'fails') failedSeen = true;
          }),
        ),
    );
    await waitFor(() => failedSeen, 'the failure was reported');
    // The halt is in force and the waiter is still running: only now is it let go.
    writeFileSync(release, '');
    const { starts, results } = await run;
    expect(starts.map((s) => s.processId).sort()).toEqual(['fails', 'waiter']);
    const byId = resultsById(results);
    expect(byId.get('waiter')).toMatchObject({ exitCode: 0, output: 'finished\n', reason: 'exit' });
    expect(byId.get('waiter')).toBeDefined();
    expect(byId.get('waiter')).not.toHaveProperty('halted');
    for (const n of [1, 2, 3, 4]) {
      expect(byId.get(`queued-${n}`)).toMatchObject({ reason: 'not-started', halted: true });
      expect(existsSync(join(dir, `ran-${n}`))).toBe(false);
    }
    expect(results).toHaveLength(6);
    expect(starts.every((s) => isDead(s.pid))).toBe(true);
  });

  it('soon keeps the running job alive after the halt (it is not stopped)', async () => {
    const dir = temp.make();
    const release = join(dir, 'release');
    const starts: StartEvent[] = [];
    let failedSeen = false;
    const done = lastValueFrom(
      from(sixJobs(dir, waitsForFile('waiter', release, 'finished'))).pipe(
        parallel({ maxWorkers: 2, halt: { when: 'soon', fail: 1 } }),
        tap((event) => {
          if (event.type === 'start') starts.push(event);
          if (event.type === 'result' && event.processId === 'fails') failedSeen = true;
        }),
        toArray(),
      ),
    );
    await waitFor(() => failedSeen, 'the failure was reported');
    const waiter = starts.find((s) => s.processId === 'waiter');
    expect(waiter && isAlive(waiter.pid)).toBe(true);
    writeFileSync(release, '');
    await done;
  });

  it('runParallel with now,success=1 resolves one result per job: the success, the stopped and the never started', async () => {
    const dir = temp.make();
    const jobs = [command('slow', 'sleep', ['30']), command('quick', 'true'), touches('queued', join(dir, 'ran'))];
    const results = await runParallel(jobs, { maxWorkers: 2, halt: { when: 'now', success: 1 } });
    expect(results.map((r) => [r.processId, r.reason])).toEqual(
      expect.arrayContaining([
        ['quick', 'exit'],
        ['slow', 'cancelled'],
        ['queued', 'not-started'],
      ]),
    );
    expect(results).toHaveLength(3);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('runBatched with now,fail=1 stops the rest of the batch and never starts the later batches', async () => {
    const dir = temp.make();
    const jobs = [command('fails', 'false'), command('sleeper', 'sleep', ['30']), touches('b2-1', join(dir, 'ran-1')), touches('b2-2', join(dir, 'ran-2'))];
    const starts: StartEvent[] = [];
    const results = await lastValueFrom(
      from(jobs).pipe(
        batched({ batchSize: 2, halt: { when: 'now', fail: 1 } }),
        tap((event) => event.type === 'start' && starts.push(event)),
        toResults(),
        toArray(),
      ),
    );
    const byId = resultsById(results);
    expect(byId.get('sleeper')).toMatchObject({ halted: true, reason: 'cancelled' });
    expect(byId.get('b2-1')).toMatchObject({ halted: true, reason: 'not-started' });
    expect(byId.get('b2-2')).toMatchObject({ halted: true, reason: 'not-started' });
    expect(existsSync(join(dir, 'ran-1')) || existsSync(join(dir, 'ran-2'))).toBe(false);
    expect(starts.every((s) => isDead(s.pid))).toBe(true);
    const viaPromise = await runBatched([command('f', 'false'), command('t', 'true'), touches('later', join(dir, 'ran-3'))], { batchSize: 2, halt: { when: 'soon', fail: 1 } });
    expect(viaPromise.map((r) => r.reason).sort()).toEqual(['exit', 'exit', 'not-started']);
    expect(existsSync(join(dir, 'ran-3'))).toBe(false);
  });

  it('halt and retry compose: a retried job counts once, with its final result', async () => {
    const jobs = [withRetry(command('flaky', 'false'), { count: 2, delayMs: 0 }), command('next', 'true')];
    const results = await runParallel(jobs, { maxWorkers: 1, halt: { when: 'soon', fail: 1 } });
    expect(results.map((r) => [r.processId, r.reason, attemptsOf(r)?.length])).toEqual([
      ['flaky', 'exit', 3],
      ['next', 'not-started', undefined],
    ]);
  });
});
