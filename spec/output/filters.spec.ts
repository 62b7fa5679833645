/**
 * grep(), stripAnsi() and tail(): marble tests for what passes and when, then real processes
 * through a strategy.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { grep } from '../../src/output/grep';
import { stripAnsi } from '../../src/output/strip-ansi';
import { tail } from '../../src/output/tail';
import { parallel } from '../../src/strategies/parallel';
import { sequential } from '../../src/strategies/sequential';
import { toResults } from '../../src/strategies/results';
import type { OutputEvent, ProcessEvent } from '../../src/process/types';
import { nodeFixture } from '../helpers';
import { resultEvent, startEvent } from '../strategies/helpers';

const out = (chunk: string, processId = 'p', stream: 'stdout' | 'stderr' = 'stdout'): OutputEvent => ({ type: 'output', processId, stream, chunk, at: 0 });

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const chunks = (events: ProcessEvent[], processId?: string): string[] =>
  events.flatMap((e) => (e.type === 'output' && (processId === undefined || e.processId === processId) ? [e.chunk] : []));

describe('grep', () => {
  it('keeps matching lines; start and result pass through untouched and in place', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s-a-b-r|', { s: startEvent('p'), a: out('ok 1\nerr'), b: out('or: x\nok 2\n'), r: resultEvent('p', 1) });
      expectObservable(source.pipe(grep(/error/))).toBe('s---e-r|', { s: startEvent('p'), e: out('error: x\n'), r: resultEvent('p', 1) });
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
  });

  it('compiles a string as a regular expression and matches without colours or the newline', async () => {
    const events = [out('\x1b[31mFAIL\x1b[0m test a\n'), out('PASS test b\n'), out('FAIL'), resultEvent('p')];
    const kept = await lastValueFrom(from(events).pipe(grep('^FAIL test'), toArray()));
    expect(chunks(kept)).toEqual(['\x1b[31mFAIL\x1b[0m test a\n']);
    const ends = await lastValueFrom(from([out('x\ny\n')]).pipe(grep('^y$'), toArray()));
    expect(chunks(ends)).toEqual(['y\n']);
  });

  it('invert keeps the lines that do not match', async () => {
    const kept = await lastValueFrom(from([out('a\nb\nab\n')]).pipe(grep(/a/, { invert: true }), toArray()));
    expect(chunks(kept)).toEqual(['b\n']);
  });

  it('a global or sticky RegExp matches every line alike (no lastIndex carried over)', async () => {
    const kept = await lastValueFrom(from([out('x1\nx2\nx3\n')]).pipe(grep(/x/gy), toArray()));
    expect(chunks(kept)).toEqual(['x1\n', 'x2\n', 'x3\n']);
  });

  it('rejects a bad pattern at once with a TypeError naming it', () => {
    expect(() => grep('(')).toThrow(new TypeError('pattern must be a valid regular expression (Invalid regular expression: /(/: Unterminated group), received "(" (string)'));
    expect(() => grep(3 as unknown as string)).toThrow(/pattern must be a RegExp or a string, received 3 \(number\)/);
    expect(() => grep('a', { invert: 'yes' as unknown as boolean })).toThrow(/invert must be a boolean, received "yes" \(string\)/);
  });
});

describe('stripAnsi', () => {
  it('removes escape sequences, also one split across two reads', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-r|', { a: out('\x1b[1;3'), b: out('2mbold\x1b[0m \x1b[2Kok\n'), r: resultEvent('p') });
      expectObservable(source.pipe(stripAnsi())).toBe('--x-r|', { x: out('bold ok\n'), r: resultEvent('p') });
    });
  });
});

describe('tail', () => {
  it('holds output back and emits the last n lines of each process right before its result', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('s-a-b-t-c-r----q---|', {
        s: startEvent('p'),
        a: out('1\n2\n3'),
        b: out('\n4\n'),
        t: startEvent('q'),
        c: out('only\n', 'q', 'stderr'),
        r: resultEvent('p'),
        q: resultEvent('q'),
      });
      expectObservable(source.pipe(tail(2))).toBe('s-----t---(xyr)(zq)|', {
        s: startEvent('p'),
        t: startEvent('q'),
        x: out('3\n'),
        y: out('4\n'),
        r: resultEvent('p'),
        z: out('only\n', 'q', 'stderr'),
        q: resultEvent('q'),
      });
    });
  });

  it('emits what it holds when the source completes without a result', async () => {
    const events = await lastValueFrom(from([out('a\nb\nc')]).pipe(tail(2), toArray()));
    expect(chunks(events)).toEqual(['b\n', 'c']);
  });

  it('keeps stdout and stderr together in arrival order', async () => {
    const events = await lastValueFrom(from([out('o1\n'), out('e1\n', 'p', 'stderr'), out('o2\n'), resultEvent('p')]).pipe(tail(2), toArray()));
    expect(events.map((e) => (e.type === 'output' ? `${e.stream}:${e.chunk}` : e.type))).toEqual(['stderr:e1\n', 'stdout:o2\n', 'result']);
  });

  it('rejects n that is not a positive integer', () => {
    expect(() => tail(0)).toThrow(new TypeError('n must be a positive integer or Infinity, received 0 (number)'));
    expect(() => tail(1.5)).toThrow(TypeError);
  });
});

describe('filters on real processes through a strategy', () => {
  // Which of stdout and stderr is read first is up to the host, so only `grep` (which keeps each
  // line whatever the order) sees a stderr line.
  const noisy = (id: string, code = 0, stderr = true) =>
    nodeFixture('gated-output.js', ['--out', `${id} step 1\n${id} \x1b[33mwarning\x1b[0m: slow\n`, ...(stderr ? ['--err', `${id} error: broken\n`] : []), '--out', `${id} step 2\nprogress 50%\rprogress 100%\n${id} done`, '--code', String(code)], { processId: id });

  it('parallel → grep → results: only matching lines live, results complete, failures still reported', async () => {
    const events = await lastValueFrom(from([noisy('a'), noisy('b', 2)]).pipe(parallel({ maxWorkers: 2 }), grep(/warning|error/), toArray()));
    for (const id of ['a', 'b']) {
      expect(chunks(events, id).sort()).toEqual([`${id} \x1b[33mwarning\x1b[0m: slow\n`, `${id} error: broken\n`]);
    }
    const results = await lastValueFrom(from(events).pipe(toResults(), toArray()));
    expect(results.map((r) => [r.processId, r.exitCode]).sort()).toEqual([['a', 0], ['b', 2]]);
    expect(results.find((r) => r.processId === 'a')?.output).toBe('a step 1\na \x1b[33mwarning\x1b[0m: slow\na step 2\nprogress 50%\rprogress 100%\na done');
  });

  it('sequential → stripAnsi → tail(2): the last two plain lines of each process, before its result', async () => {
    const events = await lastValueFrom(from([noisy('a', 0, false), noisy('b', 0, false)]).pipe(sequential(), stripAnsi(), tail(2), toArray()));
    expect(events.map((e) => (e.type === 'output' ? e.chunk : `${e.type}:${e.processId}`))).toEqual([
      'start:a',
      'progress 100%\n',
      'a done',
      'result:a',
      'start:b',
      'progress 100%\n',
      'b done',
      'result:b',
    ]);
  });
});
