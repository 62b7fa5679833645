// batched / runBatched: batch N+1 subscribes only after batch N ended (marble and real processes),
// passOutput of all earlier batches in submission order, a last batch smaller than batchSize.
import { join } from 'node:path';
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { batched, runBatched } from '../../src/strategies/batched';
import type { ProcessEvent } from '../../src/process/types';
import { tempDirs } from '../helpers';
import { command, FakeRunnable, outputEvent, resultEvent, shell, signalsOnResult, waitsForFile } from './helpers';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('batched (marble)', () => {
  const values = {
    A: outputEvent('a', 'A'),
    B: outputEvent('b', 'B'),
    C: outputEvent('c', 'C'),
    D: outputEvent('d', 'D'),
    E: outputEvent('e', 'E'),
  };

  it('subscribes batch N+1 only once every process of batch N completed; the last batch may be smaller', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('--A|', values);
      const b = cold('-----B|', values);
      const c = cold('-C|', values);
      const d = cold('---D|', values);
      const e = cold('-E|', values);
      const processes = [a, b, c, d, e].map((o, i) => new FakeRunnable('abcde'[i], () => o));
      expectObservable(from(processes).pipe(batched({ batchSize: 2 }))).toBe('--A--B-C-D-E|', values);
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('^-----!');
      expectSubscriptions(c.subscriptions).toBe('------^-!');
      expectSubscriptions(d.subscriptions).toBe('------^---!');
      expectSubscriptions(e.subscriptions).toBe('----------^-!');
    });
  });

  it('unsubscribing the outer unsubscribes every running process of the batch and subscribes no later batch', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-A|', values);
      const b = cold('--B|', values);
      const c = cold('--C---|', values);
      const d = cold('-----D|', values);
      const e = cold('-E|', values);
      const processes = [a, b, c, d, e].map((o, i) => new FakeRunnable('abcde'[i], () => o));
      expectObservable(from(processes).pipe(batched({ batchSize: 2 })), '^------!').toBe('-AB--C-', values);
      expectSubscriptions(c.subscriptions).toBe('---^---!');
      expectSubscriptions(d.subscriptions).toBe('---^---!');
      expectSubscriptions(e.subscriptions).toBe([]);
    });
  });

  it('passOutput gives every process of a later batch the successful outputs of all earlier batches, in submission order', () => {
    const scheduler = testScheduler();
    const r = (id: string, code: number) => resultEvent(id, code, `${id}-out`);
    // In batch 1, b completes before a; in batch 2, d fails.
    const marbles: Record<string, string> = { a: '----r|', b: '-r|', c: '-r|', d: '--r|', e: '-r|', f: '--r|' };
    const processes = Object.entries(marbles).map(
      ([id, marble]) => new FakeRunnable(id, () => scheduler.createColdObservable(marble, { r: r(id, id === 'd' ? 1 : 0) })),
    );
    scheduler.run(({ expectObservable }) => {
      expectObservable(from(processes).pipe(batched({ batchSize: 2, passOutput: true }))).toBe('-b--a-cd-ef|', {
        a: r('a', 0),
        b: r('b', 0),
        c: r('c', 0),
        d: r('d', 1),
        e: r('e', 0),
        f: r('f', 0),
      });
    });
    const out = (id: string) => ({ processId: id, output: `${id}-out` });
    const [a, b, c, d, e, f] = processes;
    expect(a.runs[0].context).toEqual([]);
    expect(b.runs[0].context).toEqual([]);
    expect(c.runs[0].context).toEqual([out('a'), out('b')]);
    expect(d.runs[0].context).toEqual([out('a'), out('b')]);
    expect(e.runs[0].context).toEqual([out('a'), out('b'), out('c')]);
    expect(f.runs[0].context).toEqual([out('a'), out('b'), out('c')]);
  });
});

describe('batched passOutput (fake Runnables)', () => {
  it('each subscription keeps its own outputs: a second run of the pipeline starts from an empty context', async () => {
    const a = new FakeRunnable('a', () => from([resultEvent('a', 0, 'a-out')]));
    const b = new FakeRunnable('b', () => from([resultEvent('b', 0, 'b-out')]));
    const pipeline = from([a, b]).pipe(batched({ batchSize: 1, passOutput: true }), toArray());
    await lastValueFrom(pipeline);
    await lastValueFrom(pipeline);
    expect(a.runs.map((run) => run.context)).toEqual([[], []]);
    expect(b.runs.map((run) => run.context)).toEqual([[{ processId: 'a', output: 'a-out' }], [{ processId: 'a', output: 'a-out' }]]);
  });
});

describe('runBatched (real processes)', () => {
  it('starts a batch only after every process of the previous batch ended', async () => {
    const processes = [
      shell('a1', 'sleep 0.3; echo a1'),
      command('a2', 'echo', ['a2']),
      command('b1', 'echo', ['b1']),
      shell('b2', 'sleep 0.1; echo b2'),
      command('c1', 'echo', ['c1']),
    ];
    const batchOf: Record<string, number> = { a1: 0, a2: 0, b1: 1, b2: 1, c1: 2 };
    const seen: { event: ProcessEvent; at: number }[] = [];
    await lastValueFrom(
      from(processes).pipe(
        batched({ batchSize: 2 }),
        tap((event) => seen.push({ event, at: Date.now() })),
        toArray(),
      ),
    );
    for (const batch of [1, 2]) {
      const previousEnds = seen.filter(({ event }) => event.type === 'result' && batchOf[event.processId] === batch - 1);
      const starts = seen.filter(({ event }) => event.type === 'start' && batchOf[event.processId] === batch);
      expect(starts.length).toBeGreaterThan(0);
      const lastEndIndex = Math.max(...previousEnds.map((item) => seen.indexOf(item)));
      const lastEndAt = Math.max(...previousEnds.map((item) => item.at));
      for (const start of starts) {
        expect(seen.indexOf(start)).toBeGreaterThan(lastEndIndex);
        expect(start.event.type === 'start' && start.event.at).toBeGreaterThanOrEqual(lastEndAt);
      }
    }
    expect(seen.filter(({ event }) => event.type === 'result')).toHaveLength(5);
  });

  it('passOutput hands a later batch the successful outputs of all earlier batches in submission order; the last batch is smaller', async () => {
    const dir = temp.make();
    // Batch 1: `second` is forced to end before `first`; a failure in batch 2 is left out.
    const first = waitsForFile('first', join(dir, 'second-done'), 'one');
    const second = signalsOnResult(command('second', 'echo', ['two']), join(dir, 'second-done'));
    const cat = command('cat', 'cat');
    const broken = shell('broken', 'echo broken-out; exit 4');
    const last = command('last', 'cat');

    const results = await runBatched([first, second, cat, broken, last], { batchSize: 2, passOutput: true });

    expect(results.map((r) => r.processId)).toEqual(['second', 'first', expect.any(String), expect.any(String), 'last']);
    const byId = new Map(results.map((r) => [r.processId, r]));
    const batch1 = '<output process_id="first">\none\n</output>\n<output process_id="second">\ntwo\n</output>\n';
    const catOutput = `<previous_outputs>\n${batch1}</previous_outputs>\n`;
    expect(byId.get('cat')?.output).toBe(catOutput);
    expect(byId.get('broken')?.exitCode).toBe(4);
    expect(byId.get('last')?.output).toBe(`<previous_outputs>\n${batch1}<output process_id="cat">\n${catOutput}</output>\n</previous_outputs>\n`);
    expect(results).toHaveLength(5);
  });

  it('resolves results batch by batch in completion order within each batch', async () => {
    const dir = temp.make();
    const slow = waitsForFile('slow', join(dir, 'fast-done'), 'slow');
    const fast = signalsOnResult(command('fast', 'echo', ['fast']), join(dir, 'fast-done'));
    const results = await runBatched([slow, fast, command('next', 'echo', ['next'])], { batchSize: 2 });
    expect(results.map((r) => r.processId)).toEqual(['fast', 'slow', 'next']);
  });
});
