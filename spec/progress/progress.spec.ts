/**
 * progress(): snapshots from events. Marble tests (time from the TestScheduler) for when
 * snapshots come, the counts, elapsed times and the ETA; then a real parallel run whose processes
 * end when the test says.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { from, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { progress } from '../../src/progress/progress';
import type { ProgressSnapshot } from '../../src/progress/progress-types';
import { parallel } from '../../src/strategies/parallel';
import type { ProcessEvent, ProcessResult } from '../../src/process/types';
import { nodeFixture, tempDirs, waitFor } from '../helpers';
import { fixedResult, outputEvent, startEvent } from '../strategies/helpers';

const temp = tempDirs('rxo-progress-');
afterAll(() => temp.cleanup());

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** The counts of a snapshot in one line, for compact marble values. */
const counts = (s: ProgressSnapshot): string =>
  `at=${s.at} total=${s.total} q=${s.queued} r=${s.running} ok=${s.succeeded} fail=${s.failed} eta=${s.etaMs}`;

const result = (processId: string, exitCode = 0, extra: Partial<ProcessResult> = {}): ProcessEvent => ({
  type: 'result',
  processId,
  result: { ...fixedResult(processId, exitCode), ...extra },
  at: 0,
});

/** Every snapshot a source gives, synchronously (for sources made of `from`). */
function snapshotsOf(events: ProcessEvent[], options: Parameters<typeof progress>[0] = {}): ProgressSnapshot[] {
  const ts = scheduler();
  const all: ProgressSnapshot[] = [];
  ts.run(({ cold }) => {
    const marbles = events.map((_, i) => String.fromCharCode(97 + i)).join('-') + '|';
    const values = Object.fromEntries(events.map((event, i) => [String.fromCharCode(97 + i), event]));
    cold(marbles, values).pipe(progress({ scheduler: ts, ...options })).subscribe((s) => all.push(s));
  });
  return all;
}

describe('progress() timing (marbles)', () => {
  it('emits a first snapshot at once with everything queued, then one per event', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a---b--x--|', { a: startEvent('a'), b: outputEvent('a', 'hi\n'), x: result('a') });
      expectObservable(source.pipe(progress({ processes: ['a', 'b'], scheduler: ts }), map(counts))).toBe('0-1---2--3--|', {
        0: 'at=0 total=2 q=2 r=0 ok=0 fail=0 eta=null',
        1: 'at=2 total=2 q=1 r=1 ok=0 fail=0 eta=null',
        2: 'at=6 total=2 q=1 r=1 ok=0 fail=0 eta=null',
        // a ran 7 ms; b is left, one worker: 7 ms.
        3: 'at=9 total=2 q=1 r=0 ok=1 fail=0 eta=7',
      });
      expectSubscriptions(source.subscriptions).toBe('^-----------!');
    });
  });

  it('throttleMs: the first change at once, later ones at the end of the window, a waiting one at completion', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c---------d---e|', {
        a: startEvent('a'),
        b: outputEvent('a', '1\n'),
        c: outputEvent('a', '2\n'),
        d: outputEvent('a', '3\n'),
        e: result('a'),
      });
      // 0: subscription; a at 1 is inside the window [0, 5): it waits until 5 (with b and c);
      // d at 15 comes after the window: at once; e at 19 waits for 20, but the source completes at 20.
      expectObservable(source.pipe(progress({ throttleMs: 5, scheduler: ts }), map((s) => `${s.at}:${s.processes[0]?.lastLine ?? ''}`))).toBe(
        '0----1---------2----(3|)',
        { 0: '0:', 1: '5:2', 2: '15:3', 3: '20:3' },
      );
    });
  });

  it('intervalMs: snapshots keep coming while nothing happens, with elapsed times moving; they stop at the end', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 24ms |', { a: startEvent('a') });
      const shown = source.pipe(
        progress({ intervalMs: 10, scheduler: ts }),
        map((s) => `${s.at}/${s.elapsedMs}:${s.processes.map((p) => `${p.processId}=${p.state}@${p.elapsedMs}`).join(',')}`),
      );
      expectObservable(shown).toBe('(01) 6ms 2 9ms 3 4ms |', { 0: '0/0:', 1: '0/0:a=running@0', 2: '10/10:a=running@10', 3: '20/20:a=running@20' });
      expectSubscriptions(source.subscriptions).toBe('^ 24ms !');
    });
  });

  it('unsubscribing stops the ticks and the source', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<ProcessEvent>('-');
      expectObservable(source.pipe(progress({ intervalMs: 10, scheduler: ts }), map((s) => s.at)), '^ 25ms !').toBe('0 9ms 1 9ms 2', { 0: 0, 1: 10, 2: 20 });
      expectSubscriptions(source.subscriptions).toBe('^ 25ms !');
    });
  });

  it('passes an error through', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold<ProcessEvent>('--#').pipe(progress({ scheduler: ts }), map((s) => s.at))).toBe('0-#', { 0: 0 });
    });
  });
});

describe('progress() counts and ETA', () => {
  it('ETA = (queued × mean + what the running still need by the mean) ÷ workers', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      // a and b start at 0; a ends at 10 (mean 10). Left: c, d queued (20) and b, already 10 in (0).
      const source = cold('(ab) 6ms c 9ms d|', { a: startEvent('a'), b: startEvent('b'), c: result('a'), d: startEvent('c') });
      const eta = source.pipe(progress({ processes: ['a', 'b', 'c', 'd'], concurrency: 2, scheduler: ts }), map((s) => s.etaMs));
      // At 20, c started; queued d (10) + b 20 in (0) + c 0 in (10) = 20 over 2 workers.
      expectObservable(eta).toBe('(xyz) 5ms w 9ms v|', { x: null, y: null, z: null, w: 10, v: 10 });
    });
  });

  it('ETA is null while only processes past the mean are left', () => {
    // a: 0 → 4 (mean 4); b started at 2: at 4 it needs 2 more; at 6 it is 4 in, past the mean.
    const all = snapshotsOf([startEvent('a'), startEvent('b'), result('a'), outputEvent('b', 'x')], { processes: ['a', 'b'] });
    expect(all.map((s) => s.etaMs)).toEqual([null, null, null, 2, null]);
  });

  it('ETA without concurrency divides by the number running, and is 0 once nothing is left', () => {
    const all = snapshotsOf([startEvent('a'), result('a'), startEvent('b'), result('b')], { processes: ['a', 'b'] });
    // a: 0 → 2 (mean 2); at 4 b starts: b needs 2 more, 1 running → 2; at 6 all done → 0.
    expect(all.map((s) => s.etaMs)).toEqual([null, null, 2, 2, 0]);
  });

  it('counts failed, not started and timed out results by the one rule; ignores agent events and unknown event types', () => {
    const all = snapshotsOf(
      [
        startEvent('a'),
        { type: 'claude', processId: 'a', message: {} } as unknown as ProcessEvent,
        { type: 'agent', agent: 'claude', processId: 'a', event: { kind: 'unknown' }, at: 0 },
        result('a', -1, { timedOut: true, reason: 'timeout' }),
        result('b', 130, { cancelled: true, reason: 'not-started', pid: null }),
        startEvent('c'),
        result('c', 0),
      ],
      { processes: ['a', 'b', 'c'] },
    );
    expect(all).toHaveLength(6); // the first, then one per start, output or result
    const last = all[all.length - 1];
    expect({ ...last, processes: undefined }).toEqual({
      at: 12, elapsedMs: 12, total: 3, queued: 0, running: 0, succeeded: 1, failed: 2, notStarted: 1, cancelled: 0, timedOut: 1, limitExceeded: 0, etaMs: 0, processes: undefined,
    });
    expect(last.processes.map((p) => [p.processId, p.state, p.startedAt, p.elapsedMs])).toEqual([
      ['a', 'failed', 0, 6],
      ['b', 'failed', null, null],
      ['c', 'succeeded', 10, 2],
    ]);
  });

  it('without processes: ids appear as they start; total counts the ones expected', () => {
    const seen = snapshotsOf([startEvent('x'), startEvent('y')], { total: 3 });
    expect(seen.map((s) => [s.total, s.queued, s.running])).toEqual([[3, 3, 0], [3, 2, 1], [3, 1, 2]]);
    const open = snapshotsOf([startEvent('x')]);
    expect(open.map((s) => [s.total, s.queued, s.running])).toEqual([[0, 0, 0], [1, 0, 1]]);
  });

  it('an id not among the processes given is added at the end, and the total grows', () => {
    const seen = snapshotsOf([startEvent('stranger')], { processes: ['a'] });
    expect(seen[1].processes.map((p) => [p.processId, p.state])).toEqual([['a', 'queued'], ['stranger', 'running']]);
    expect([seen[1].total, seen[1].queued, seen[1].running]).toEqual([2, 1, 1]);
  });

  it('repeated ids are separate entries; a process that starts again after its result runs again', () => {
    const twice = snapshotsOf([startEvent('a'), startEvent('a'), result('a'), result('a')], { processes: ['a', 'a'] });
    expect(twice.map((s) => [s.queued, s.running, s.succeeded])).toEqual([[2, 0, 0], [1, 1, 0], [0, 2, 0], [0, 1, 1], [0, 0, 2]]);
    const retried = snapshotsOf([startEvent('a'), result('a', 1), startEvent('a'), result('a', 0)], { processes: ['a'] });
    expect(retried.map((s) => [s.running, s.succeeded, s.failed, s.total])).toEqual([[0, 0, 0, 1], [1, 0, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1]]);
  });

  it('lastLine: the latest non-blank line, partial lines and progress bars included, plain text, cut to lineWidth', () => {
    const lastLines = (chunks: string[], lineWidth = 200): string[] =>
      snapshotsOf([startEvent('a'), ...chunks.map((chunk) => outputEvent('a', chunk))], { lineWidth }).slice(2).map((s) => s.processes[0].lastLine);
    expect(lastLines(['one\ntw', 'o\n', '\n  \n', 'th', 'ree'])).toEqual(['tw', 'two', 'two', 'th', 'three']);
    expect(lastLines(['\x1b[32mgreen\x1b[0m\tok\n', 'bar 10%\r', 'bar 90%\r', 'done\r\n'])).toEqual(['green ok', 'bar 10%', 'bar 90%', 'done']);
    expect(lastLines(['0123456789\n'], 5)).toEqual(['0123…']);
  });

  it('rejects bad options with a TypeError naming the value', () => {
    expect(() => progress({ throttleMs: -1 })).toThrow(new TypeError('throttleMs must be a finite number of milliseconds, 0 or more, received -1 (number)'));
    expect(() => progress({ intervalMs: Number.NaN })).toThrow(/intervalMs must be a finite number of milliseconds/);
    expect(() => progress({ total: 0 })).toThrow(/total must be a positive integer, received 0/);
    expect(() => progress({ processes: [3 as unknown as string] })).toThrow(/processes must be an array of process ids or processes, received 3 \(number\)/);
    expect(() => progress({ lineWidth: 0 })).toThrow(/lineWidth must be a positive integer/);
  });
});

describe('progress() on a real parallel run', () => {
  it('shows queued, running with last lines, then the finished, as the processes end when the test says', async () => {
    const dir = temp.make('real');
    const gate = (id: string): string => join(dir, id);
    const jobs = ['a', 'b', 'c'].map((id, i) =>
      nodeFixture('gated-output.js', ['--out', `${id} working\n`, '--out', `${id} 50%`, '--wait', gate(id), '--out', `\r${id} 100%\n`, '--code', String(i === 1 ? 4 : 0)], { processId: id }),
    );
    const snapshots: ProgressSnapshot[] = [];
    let completed = false;
    const subscription = from(jobs)
      .pipe(parallel({ maxWorkers: 2 }), progress({ processes: jobs, throttleMs: 20 }))
      .subscribe({ next: (s) => snapshots.push(s), complete: () => (completed = true) });
    const latest = (): ProgressSnapshot => snapshots[snapshots.length - 1];
    const states = (): string => latest().processes.map((p) => `${p.processId}:${p.state}:${p.lastLine}`).join(' ');
    try {
      expect(snapshots[0].processes.map((p) => p.state)).toEqual(['queued', 'queued', 'queued']);
      await waitFor(() => states() === 'a:running:a 50% b:running:b 50% c:queued:', 'a and b run and show their partial lines');
      expect(latest()).toMatchObject({ total: 3, queued: 1, running: 2, etaMs: null });
      writeFileSync(gate('a'), '');
      await waitFor(() => states() === 'a:succeeded:a 100% b:running:b 50% c:running:c 50%', 'a finished and c runs');
      writeFileSync(gate('b'), '');
      writeFileSync(gate('c'), '');
      await waitFor(() => completed, 'the run completed');
      expect(latest()).toMatchObject({ total: 3, queued: 0, running: 0, succeeded: 2, failed: 1, etaMs: 0 });
      expect(states()).toBe('a:succeeded:a 100% b:failed:b 100% c:succeeded:c 100%');
      for (const p of latest().processes) expect(p.elapsedMs).toBeGreaterThan(0);
    } finally {
      subscription.unsubscribe();
    }
  });
});

