/**
 * lines(): whole lines per process and stream, `\r\n` and lone `\r`, flushed at the result;
 * marble tests for ordering, then real processes cut where the test decides.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { lines, lineText } from '../../src/output/lines';
import { parallel } from '../../src/strategies/parallel';
import type { OutputEvent, ProcessEvent } from '../../src/process/types';
import { nodeFixture, startRun, tempDirs, waitFor } from '../helpers';
import { resultEvent, startEvent } from '../strategies/helpers';

const temp = tempDirs('rxo-lines-');
afterAll(() => temp.cleanup());

const out = (chunk: string, processId = 'p', stream: 'stdout' | 'stderr' = 'stdout', at = 0): OutputEvent => ({ type: 'output', processId, stream, chunk, at });

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

async function through(events: ProcessEvent[]): Promise<ProcessEvent[]> {
  return lastValueFrom(from(events).pipe(lines(), toArray()));
}

const chunks = (events: ProcessEvent[]): string[] => events.flatMap((e) => (e.type === 'output' ? [e.chunk] : []));

describe('lines() ordering (marbles)', () => {
  it('emits each line when its end arrives, the partial last line just before the result', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s-a-b-c-r---|', { s: startEvent('p'), a: out('one\ntw'), b: out('o\nthr'), c: out('ee'), r: resultEvent('p') });
      expectObservable(source.pipe(lines())).toBe('s-a-b---(tr)|', {
        s: startEvent('p'),
        a: out('one\n'),
        b: out('two\n'),
        t: out('three'),
        r: resultEvent('p'),
      });
      expectSubscriptions(source.subscriptions).toBe('^-----------!');
    });
  });

  it('hands out several lines of one chunk together, in order', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('(a|)', { a: out('1\n2\n3\n') });
      expectObservable(source.pipe(lines())).toBe('(xyz|)', { x: out('1\n'), y: out('2\n'), z: out('3\n') });
    });
  });

  it('flushes partial lines when the source completes without a result', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-|', { a: out('x', 'p', 'stdout', 5), b: out('y', 'q', 'stderr', 7) });
      expectObservable(source.pipe(lines())).toBe('----(xy|)', { x: out('x', 'p', 'stdout', 5), y: out('y', 'q', 'stderr', 7) });
    });
  });

  it('passes errors through and unsubscribes from the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-#', { a: out('x\n') });
      expectObservable(source.pipe(lines())).toBe('a-#', { a: out('x\n') });
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });
});

describe('lines() text', () => {
  it('keeps processes and streams apart', async () => {
    const events = await through([out('a1\na', 'a'), out('b1\nb', 'b'), out('E', 'a', 'stderr'), out('2\n', 'a'), out('rr\n', 'a', 'stderr'), out('2\n', 'b')]);
    expect(events.map((e) => (e.type === 'output' ? `${e.processId}:${e.stream}:${e.chunk}` : e.type))).toEqual([
      'a:stdout:a1\n',
      'b:stdout:b1\n',
      'a:stdout:a2\n',
      'a:stderr:Err\n',
      'b:stdout:b2\n',
    ]);
  });

  it('treats \\r\\n as \\n, also when split between chunks', async () => {
    expect(chunks(await through([out('a\r\nb\r'), out('\nc\r\n')]))).toEqual(['a\n', 'b\n', 'c\n']);
  });

  it('makes a line rewritten with lone \\r its final state (a progress bar)', async () => {
    const events = await through([out('10%\r20%'), out('\r30%\r'), out('100%\n'), out('done\r\n'), out('x\ry\r\n'), resultEvent('p')]);
    expect(chunks(events)).toEqual(['100%\n', 'done\n', 'y\n']);
  });

  it('keeps only the final state of a partial line rewritten many times', async () => {
    const bar = Array.from({ length: 5000 }, (_, i) => `${i}%\r`);
    const events = await through([...bar.map((chunk) => out(chunk)), resultEvent('p')]);
    expect(chunks(events)).toEqual(['4999%']);
  });

  it('ends the unfinished line of an attempt at the start of a retry, before the new attempt', async () => {
    const retry = { ...startEvent('p'), attempt: 2 } as ProcessEvent;
    const events = await through([startEvent('p'), out('half'), out('err', 'p', 'stderr'), retry, out('again\n'), resultEvent('p')]);
    expect(events.map((e) => (e.type === 'output' ? `${e.stream}:${e.chunk}` : e.type))).toEqual([
      'start',
      'stdout:half',
      'stderr:err',
      'start',
      'stdout:again\n',
      'result',
    ]);
  });

  it('does not emit an empty partial line at the result', async () => {
    expect(chunks(await through([out('a\n'), out('\r'), resultEvent('p')]))).toEqual(['a\n']);
  });

  it('is idempotent', async () => {
    const source = [out('a\nb'), out('c\r\nd\re\n'), out('tail'), resultEvent('p')];
    const once = await through(source);
    const twice = await lastValueFrom(from(source).pipe(lines(), lines(), toArray()));
    expect(twice).toEqual(once);
  });

  it('cuts a line longer than 64 KiB into pieces', async () => {
    const long = 'x'.repeat(64 * 1024 * 2 + 5);
    const events = await through([out(long), out('\n')]);
    expect(chunks(events).map((chunk) => chunk.length)).toEqual([64 * 1024 + 1, 64 * 1024 + 1, 6]);
  });

  it('passes event types it does not know through, in place', async () => {
    const other = { type: 'claude', processId: 'p', message: { text: 'hi' } } as unknown as ProcessEvent;
    const events = await through([out('a'), other, out('b\n')]);
    expect(events).toEqual([other, out('ab\n')]);
  });

  it('lineText drops only the \\n', () => {
    expect([lineText(out('a\n')), lineText(out('a')), lineText(out('\n'))]).toEqual(['a', 'a', '']);
  });
});

describe('lines() on real processes', () => {
  it('reassembles lines cut across reads, where the test cuts them, and flushes the last one at the result', async () => {
    const dir = temp.make('real');
    const gate = join(dir, 'gate');
    const job = nodeFixture('gated-output.js', ['--out', 'first\nsec', '--err', 'warn', '--wait', gate, '--out', 'ond\r\nbar 1%\rbar 100%\nlast', '--err', 'ing\n'], { processId: 'job' });
    const run = startRun(from([job]).pipe(parallel(), lines()));
    await waitFor(() => run.events.some((e) => e.type === 'output' && e.chunk === 'first\n'), 'the first line came');
    // Nothing of the partial lines yet: they are not complete.
    expect(chunks(run.events)).toEqual(['first\n']);
    writeFileSync(gate, '');
    const result = await run.result;
    expect(result.exitCode).toBe(0);
    const byStream = (stream: string): string[] => run.events.flatMap((e) => (e.type === 'output' && e.stream === stream ? [e.chunk] : []));
    expect(byStream('stdout')).toEqual(['first\n', 'second\n', 'bar 100%\n', 'last']);
    expect(byStream('stderr')).toEqual(['warning\n']);
    expect(run.events[run.events.length - 1].type).toBe('result');
    // The result keeps the output as written.
    expect(result.output).toBe('first\nsecond\r\nbar 1%\rbar 100%\nlast');
  });
});
