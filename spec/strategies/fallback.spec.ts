// fallback / runWithFallback: attempts in order until the first success (marble: later attempts
// never subscribed), all-failed reporting, the empty list, the per-attempt timeout (real processes).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { EmptyProcessListError } from '../../src/errors';
import { fallback, runWithFallback } from '../../src/strategies/fallback';
import { toResults } from '../../src/strategies/results';
import type { ProcessEvent, Runnable } from '../../src/process/types';
import { fixture, isDead, tempDirs } from '../helpers';
import { command, FakeRunnable, fixedResult, outputEvent, resultEvent, touches } from './helpers';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('fallback (marble)', () => {
  it('emits the failed attempt, then the next; never subscribes the attempts after the first success', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { A: outputEvent('a', 'A'), f: resultEvent('a', 1), s: resultEvent('b'), t: resultEvent('c') };
      const a = cold('-A-f|', values);
      const b = cold('-s|', values);
      const c = cold('-t|', values);
      const attempts = [new FakeRunnable('a', () => a), new FakeRunnable('b', () => b), new FakeRunnable('c', () => c)];
      expectObservable(from(attempts).pipe(fallback())).toBe('-A-fs|', values);
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('---^-!');
      expectSubscriptions(c.subscriptions).toBe([]);
    });
  });

  it('when every attempt fails, the last result says all N attempts failed', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { f: resultEvent('a', 1), g: resultEvent('b', 2) };
      const a = cold('-f|', values);
      const b = cold('-g|', values);
      const last = resultEvent('b', 2);
      const expected = {
        f: values.f,
        G: { ...last, result: { ...fixedResult('b', 2), error: 'all 2 attempts failed; last (b): exited with code 2' } },
      };
      expectObservable(from([new FakeRunnable('a', () => a), new FakeRunnable('b', () => b)]).pipe(fallback())).toBe('-fG|', expected);
      expectSubscriptions(a.subscriptions).toBe('^!');
      expectSubscriptions(b.subscriptions).toBe('-^-!');
    });
  });

  it('a cancelled attempt ends the fallback without trying the next', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const cancelled: ProcessEvent = {
        type: 'result',
        processId: 'a',
        result: { ...fixedResult('a', 143), cancelled: true, reason: 'cancelled', signal: 'SIGTERM' },
        at: 0,
      };
      const a = cold('-x|', { x: cancelled });
      const b = cold('-s|', { s: resultEvent('b') });
      expectObservable(from([new FakeRunnable('a', () => a), new FakeRunnable('b', () => b)]).pipe(fallback())).toBe('-x|', { x: cancelled });
      expectSubscriptions(b.subscriptions).toBe([]);
    });
  });

  it('unsubscribing the outer unsubscribes the running attempt and subscribes no later one', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { f: resultEvent('a', 1), B: outputEvent('b', 'B'), s: resultEvent('b') };
      const a = cold('-f|', values);
      const b = cold('-B----s|', values);
      const c = cold('-s|', values);
      const attempts = [new FakeRunnable('a', () => a), new FakeRunnable('b', () => b), new FakeRunnable('c', () => c)];
      expectObservable(from(attempts).pipe(fallback()), '^---!').toBe('-fB-', values);
      expectSubscriptions(b.subscriptions).toBe('-^--!');
      expectSubscriptions(c.subscriptions).toBe([]);
    });
  });

  it('waits for the source to complete before the first attempt', () => {
    testScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('-s|', { s: resultEvent('a') });
      const source = hot('-x--|', { x: new FakeRunnable('a', () => a) as Runnable });
      expectObservable(source.pipe(fallback())).toBe('-----s|', { s: resultEvent('a') });
      expectSubscriptions(a.subscriptions).toBe('----^-!');
    });
  });
});

describe('runWithFallback (real processes)', () => {
  it('returns the first success and never spawns the processes after it', async () => {
    const dir = temp.make();
    const marker = join(dir, 'third-ran');
    const result = await runWithFallback([command('first', 'false'), command('second', 'echo', ['second']), touches('third', marker)]);
    expect(result).toMatchObject({ processId: 'second', exitCode: 0, output: 'second\n', error: null });
    expect(existsSync(marker)).toBe(false);
  });

  it('when all fail, returns the last failure with an error saying all N attempts failed', async () => {
    const exit3 = command('exit3', process.execPath, [fixture('exit.js'), '3']);
    const result = await runWithFallback([command('first', 'false'), exit3]);
    expect(result).toMatchObject({ processId: 'exit3', exitCode: 3 });
    expect(result.error).toBe('all 2 attempts failed; last (exit3): exited with code 3');
    const single = await runWithFallback([command('only', 'false')]);
    expect(single.error).toMatch(/^all 1 attempt failed; last \(only\)/);
  });

  it('rejects an empty list with EmptyProcessListError', async () => {
    await expect(runWithFallback([])).rejects.toBeInstanceOf(EmptyProcessListError);
    await expect(runWithFallback([])).rejects.toMatchObject({ name: 'EmptyProcessListError' });
    await expect(lastValueFrom(of<Runnable>().pipe(fallback()))).rejects.toBeInstanceOf(EmptyProcessListError);
  });

  it('applies the timeout to each attempt (a hanging one gives exitCode -1, the next succeeds) without touching the options', async () => {
    const slow = command('slow', 'sleep', ['30'], { timeout: 100 });
    const quick = command('quick', 'echo', ['quick']);
    const before = JSON.stringify(slow.options);

    const results = await lastValueFrom(from([slow, quick]).pipe(fallback({ timeout: 0.5 }), toResults(), toArray()));

    expect(results.map((r) => r.processId)).toEqual(['slow', 'quick']);
    expect(results[0]).toMatchObject({ exitCode: -1, timedOut: true, reason: 'timeout' });
    expect(results[0].error).toMatch(/timed out after 0.5 s/);
    expect(results[1]).toMatchObject({ exitCode: 0, output: 'quick\n' });
    expect(isDead(results[0].pid ?? 0)).toBe(true);
    expect(JSON.stringify(slow.options)).toBe(before);
    expect(slow.options.timeout).toBe(100);

    const result = await runWithFallback([slow, quick], { timeout: 0.5 });
    expect(result).toMatchObject({ processId: 'quick', exitCode: 0 });
  });
});
