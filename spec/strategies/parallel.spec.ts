// parallel / runParallel: the concurrency limit and teardown (marble tests over fake Runnables),
// completion order, failures that stay contained, unsubscribe and abort (real processes).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, tap, throwError, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { parallel, runParallel } from '../../src/strategies/parallel';
import { inSubmissionOrder, resultsById, toResults } from '../../src/strategies/results';
import type { ProcessEvent, Runnable, StartEvent } from '../../src/process/types';
import { isDead, tempDirs, waitFor } from '../helpers';
import {
  command,
  FakeRunnable,
  outputEvent,
  signalsOnResult,
  touches,
  waitsForFile,
} from './helpers';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('parallel (marble)', () => {
  const values = { A: outputEvent('a', 'A'), B: outputEvent('b', 'B'), C: outputEvent('c', 'C') };

  it('runs at most maxWorkers at once and starts a queued process only when a running one completes', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('--A|', values);
      const b = cold('------B|', values);
      const c = cold('-C|', values);
      const processes = [new FakeRunnable('a', () => a), new FakeRunnable('b', () => b), new FakeRunnable('c', () => c)];
      expectObservable(from(processes).pipe(parallel({ maxWorkers: 2 }))).toBe('--A-C-B|', values);
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('^------!');
      expectSubscriptions(c.subscriptions).toBe('---^-!');
    });
  });

  it('with maxWorkers: Infinity subscribes every process at once', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('--A|', values);
      const b = cold('------B|', values);
      const c = cold('-C|', values);
      const processes = [new FakeRunnable('a', () => a), new FakeRunnable('b', () => b), new FakeRunnable('c', () => c)];
      expectObservable(from(processes).pipe(parallel({ maxWorkers: Infinity }))).toBe('-CA---B|', values);
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('^------!');
      expectSubscriptions(c.subscriptions).toBe('^-!');
    });
  });

  it('unsubscribing the outer unsubscribes every running process and never subscribes the queued ones', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('--A------|', values);
      const b = cold('----B-----|', values);
      const c = cold('-C|', values);
      const processes = [new FakeRunnable('a', () => a), new FakeRunnable('b', () => b), new FakeRunnable('c', () => c)];
      expectObservable(from(processes).pipe(parallel({ maxWorkers: 2 })), '^-----!').toBe('--A-B-', values);
      expectSubscriptions(a.subscriptions).toBe('^-----!');
      expectSubscriptions(b.subscriptions).toBe('^-----!');
      expectSubscriptions(c.subscriptions).toBe([]);
    });
  });

  it('turns a process whose stream errors into a failed result and lets its siblings finish', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const bad = cold('-A#', values, new Error('stream broke'));
      const b = cold('----B|', values);
      const expected = {
        ...values,
        F: {
          type: 'result',
          processId: 'bad',
          result: expect.objectContaining({ exitCode: 1, reason: 'error', pid: null, error: expect.stringContaining('stream broke') }),
          at: expect.any(Number),
        },
      };
      const processes = [new FakeRunnable('bad', () => bad), new FakeRunnable('b', () => b)];
      expectObservable(from(processes).pipe(parallel({ maxWorkers: 2 }))).toBe('-AF-B|', expected);
      expectSubscriptions(bad.subscriptions).toBe('^-!');
      expectSubscriptions(b.subscriptions).toBe('^----!');
    });
  });
});

describe('runParallel (real processes)', () => {
  it('resolves results in completion order, which inSubmissionOrder and resultsById undo', async () => {
    const dir = temp.make();
    // Completion is forced to be third, second, first: each waits for the next one's result.
    const first = waitsForFile('first', join(dir, 'second-done'), 'one');
    const second = signalsOnResult(waitsForFile('second', join(dir, 'third-done'), 'two'), join(dir, 'second-done'));
    const third = signalsOnResult(command('third', 'echo', ['three']), join(dir, 'third-done'));
    const processes = [first, second, third];

    const results = await runParallel(processes, { maxWorkers: 3 });

    expect(results.map((r) => [r.processId, r.exitCode, r.output])).toEqual([
      ['third', 0, 'three\n'],
      ['second', 0, 'two\n'],
      ['first', 0, 'one\n'],
    ]);
    expect(inSubmissionOrder(results, processes).map((r) => r.processId)).toEqual(['first', 'second', 'third']);
    const byId = resultsById(results);
    expect(byId.get('first')?.output).toBe('one\n');
    expect(byId.get('third')?.output).toBe('three\n');
  });

  it('runs real sleep processes concurrently up to maxWorkers', async () => {
    const processes = ['s1', 's2', 's3', 's4'].map((id) => command(id, 'sleep', ['0.2']));
    const events = await lastValueFrom(from(processes).pipe(parallel({ maxWorkers: 2 }), toArray()));
    // Replaying the event stream: never more than two processes between their start and result.
    let running = 0;
    let most = 0;
    for (const event of events) {
      if (event.type === 'start') most = Math.max(most, ++running);
      if (event.type === 'result') running -= 1;
    }
    expect(most).toBe(2);
    expect(events.filter((e) => e.type === 'result').map((e) => (e.type === 'result' ? e.result.exitCode : NaN))).toEqual([0, 0, 0, 0]);
  });

  it('turns a Runnable that throws or errors into a failed result while its real siblings still finish', async () => {
    const throws: Runnable = {
      processId: 'throws',
      events(): Observable<ProcessEvent> {
        throw new Error('boom when called');
      },
    };
    const errors: Runnable = { processId: 'errors', events: () => throwError(() => new Error('boom in the stream')) };
    const notObservable = { processId: 'not-observable', events: () => undefined } as unknown as Runnable;
    const siblings = [command('sib1', 'echo', ['one']), command('sib2', 'sh', ['-c', 'sleep 0.1; echo two'])];

    const results = await runParallel([throws, siblings[0], errors, notObservable, siblings[1]], { maxWorkers: 2 });
    const byId = resultsById(results);

    expect(results).toHaveLength(5);
    expect(byId.get('sib1')).toMatchObject({ exitCode: 0, output: 'one\n' });
    expect(byId.get('sib2')).toMatchObject({ exitCode: 0, output: 'two\n' });
    expect(byId.get('throws')).toMatchObject({ exitCode: 1, reason: 'error', pid: null, cancelled: false });
    expect(byId.get('throws')?.error).toContain('boom when called');
    expect(byId.get('errors')?.error).toContain('boom in the stream');
    expect(byId.get('not-observable')).toMatchObject({ exitCode: 1, reason: 'error' });
  });

  it('unsubscribing kills every running process and never starts the queued one', async () => {
    const dir = temp.make();
    const marker = join(dir, 'queued-ran');
    const processes = [...['s1', 's2', 's3'].map((id) => command(id, 'sleep', ['30'])), touches('queued', marker)];
    const starts: StartEvent[] = [];
    const results: ProcessEvent[] = [];
    const subscription = from(processes)
      .pipe(parallel({ maxWorkers: 3 }))
      .subscribe((event) => {
        if (event.type === 'start') starts.push(event);
        if (event.type === 'result') results.push(event);
      });
    await waitFor(() => starts.length === 3, 'three processes started');
    expect(starts.every((s) => !isDead(s.pid))).toBe(true);

    subscription.unsubscribe();

    await waitFor(() => starts.every((s) => isDead(s.pid)), 'every started process is dead');
    expect(starts.map((s) => s.processId).sort()).toEqual(['s1', 's2', 's3']);
    expect(results).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it('an AbortSignal cancels the running processes and gives queued ones not-started results without spawning', async () => {
    const dir = temp.make();
    const marker = join(dir, 'queued-ran');
    const controller = new AbortController();
    const processes = [command('a', 'sleep', ['30']), command('b', 'sleep', ['30']), touches('queued', marker)];
    const starts: StartEvent[] = [];
    const done = lastValueFrom(
      from(processes).pipe(
        parallel({ maxWorkers: 2, signal: controller.signal }),
        tap((event) => {
          if (event.type === 'start') starts.push(event);
        }),
        toResults(),
        toArray(),
      ),
    );
    await waitFor(() => starts.length === 2, 'two processes started');

    controller.abort();
    const results = resultsById(await done);

    expect(starts.map((s) => s.processId).sort()).toEqual(['a', 'b']);
    for (const id of ['a', 'b']) {
      expect(results.get(id)).toMatchObject({ cancelled: true, reason: 'cancelled', timedOut: false, exitCode: 143 });
    }
    expect(results.get('queued')).toMatchObject({ cancelled: true, reason: 'not-started', pid: null, exitCode: 130 });
    expect(existsSync(marker)).toBe(false);
    await waitFor(() => starts.every((s) => isDead(s.pid)), 'the cancelled processes are dead');
  });
});
