/**
 * `seq` and `at`: `sequenced()` numbers a run's events 0, 1, 2, ... per process (marble tests),
 * retry counts on across attempts (marbles over withRetry, and a real process with its `retry`
 * option), and a Runnable of one's own without `seq` still goes through a strategy.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { sequenced } from '../../src/events/sequenced';
import type { ProcessEvent, StampedEvent } from '../../src/events/types';
import { withRetry } from '../../src/operators/retry';
import { CommandProcess } from '../../src/runnable/command-process';
import { parallel } from '../../src/strategies/parallel';
import { collect, fixture } from '../helpers';
import { FakeRunnable, fixedResult, outputEvent, startEvent } from '../strategies/helpers';

const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const result = (id: string, exitCode = 0): ProcessEvent => ({ type: 'result', processId: id, result: fixedResult(id, exitCode), at: 0 });
const numbered = (event: ProcessEvent, seq: number): StampedEvent => ({ ...event, seq });

/** The seq of each event, per process id, in the order they came. */
function seqsById(events: readonly ProcessEvent[]): Record<string, Array<number | undefined>> {
  const byId: Record<string, Array<number | undefined>> = {};
  for (const event of events) (byId[event.processId] ??= []).push(event.seq);
  return byId;
}

describe('sequenced() (marble)', () => {
  it('numbers the events of a run from 0 in emission order, replacing any seq they had', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const run = cold('-s-o-o-(r|)', { s: { ...startEvent('a'), seq: 7 }, o: outputEvent('a', 'x'), r: result('a') });
      expectObservable(run.pipe(sequenced())).toBe('-s-o-p-(r|)', {
        s: numbered(startEvent('a'), 0),
        o: numbered(outputEvent('a', 'x'), 1),
        p: numbered(outputEvent('a', 'x'), 2),
        r: numbered(result('a'), 3),
      });
      expectSubscriptions(run.subscriptions).toBe('^------!');
    });
  });

  it('counts per process id, and afresh for each subscription', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const merged = cold('-a-b-a-(b|)', { a: outputEvent('a', 'x'), b: outputEvent('b', 'y') }).pipe(sequenced());
      const expected = { a: numbered(outputEvent('a', 'x'), 0), b: numbered(outputEvent('b', 'y'), 0), c: numbered(outputEvent('a', 'x'), 1), d: numbered(outputEvent('b', 'y'), 1) };
      expectObservable(merged).toBe('-a-b-c-(d|)', expected);
      expectObservable(merged).toBe('-a-b-c-(d|)', expected);
    });
  });

  it('fills a missing `at` with the time now and keeps one that is there', () => {
    const before = Date.now();
    const noTime = { type: 'output', processId: 'a', stream: 'stdout', chunk: 'x' } as unknown as ProcessEvent;
    const events: StampedEvent[] = [];
    from([noTime, outputEvent('a', 'y')]).pipe(sequenced()).subscribe((event) => events.push(event));
    expect(events[0].at).toBeGreaterThanOrEqual(before);
    expect(events[0].at).toBeLessThanOrEqual(Date.now());
    expect(events[1]).toEqual({ ...outputEvent('a', 'y'), seq: 1 });
  });

  it('withRetry: each attempt numbers its own events from 0, the run counts on across attempts', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      // Each attempt is a run of its own (as a CommandProcess's is), numbered 0, 1, 2.
      const attempt = (exitCode: number) => cold('-s-o-(r|)', { s: startEvent('job'), o: outputEvent('job', 'x'), r: result('job', exitCode) }).pipe(sequenced());
      const attempts = [attempt(1), attempt(0)];
      let next = 0;
      const retried = withRetry(new FakeRunnable('job', () => attempts[next++]), { count: 1, delayMs: 10 });
      // Attempt 1 fails at frame 5; after 10 ms attempt 2 runs from frame 15.
      expectObservable(retried.events()).toBe('-a-b 12ms c-d-(e|)', {
        a: { ...startEvent('job'), attempt: 1, seq: 0 },
        b: numbered(outputEvent('job', 'x'), 1),
        c: { ...startEvent('job'), attempt: 2, seq: 2 },
        d: numbered(outputEvent('job', 'x'), 3),
        e: { type: 'result', processId: 'job', result: expect.objectContaining({ exitCode: 0, attempts: expect.any(Array) }), at: 0, seq: 4 },
      });
    });
  });
});

describe('seq on real runs', () => {
  it('a CommandProcess stamps start, output and result 0, 1, 2, ... and `at` on each', async () => {
    const before = Date.now();
    const events = await collect(new CommandProcess({ command: process.execPath, args: [fixture('print.js'), '--lines', '3'], processId: 'p' }).events());
    expect(events[0].type).toBe('start');
    expect(events[events.length - 1].type).toBe('result');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    for (const event of events) {
      expect(event.at).toBeGreaterThanOrEqual(before);
      expect(event.at).toBeLessThanOrEqual(Date.now());
    }
  });

  it('a CommandProcess with retry numbers every attempt in one sequence', async () => {
    const command = new CommandProcess({ command: process.execPath, args: [fixture('print.js'), '--out', 'try\n', '--code', '3'], processId: 'flaky', retry: { count: 2, delayMs: 10 } });
    const events = await collect(command.events());
    expect(events.filter((e) => e.type === 'start').map((e) => (e as { attempt?: number }).attempt)).toEqual([1, 2, 3]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  });

  it("a Runnable of one's own without seq still runs through a strategy; its events pass without seq", async () => {
    const plain = new FakeRunnable('mine', () => from([startEvent('mine'), outputEvent('mine', 'x'), result('mine')]));
    const stamped = new CommandProcess({ command: process.execPath, args: [fixture('print.js'), '--out', 'hi\n'], processId: 'lib' });
    const events = await lastValueFrom(from([plain, stamped]).pipe(parallel({ maxWorkers: 2 }), toArray()));
    const seqs = seqsById(events);
    expect(seqs.mine).toEqual([undefined, undefined, undefined]);
    expect(seqs.lib).toEqual(seqs.lib.map((_, i) => i));
  });
});
