/**
 * LineEngines: one engine per process and stream, flushed per process or all at once, and the
 * one rule for when unfinished lines end (`endsLines`: a result, or the start of a retry).
 */
import { endsLines, LineEngines } from '../../../src/process/text/line-engines';
import type { ProcessEvent } from '../../../src/process/types';
import { resultEvent, startEvent } from '../../strategies/helpers';

describe('LineEngines', () => {
  it('keeps processes and streams apart', () => {
    const engines = new LineEngines();
    expect(engines.push('a', 'stdout', 'a1\na')).toEqual(['a1']);
    expect(engines.push('b', 'stdout', 'b1\nb')).toEqual(['b1']);
    expect(engines.push('a', 'stderr', 'E')).toEqual([]);
    expect(engines.push('a', 'stdout', '2\n')).toEqual(['a2']);
    expect(engines.push('a', 'stderr', 'rr\n')).toEqual(['Err']);
    expect(engines.push('b', 'stdout', '2\n')).toEqual(['b2']);
  });

  it("flushes one process's streams, stdout first, with the time of their last chunk, and forgets them", () => {
    const engines = new LineEngines({ mode: 'cr' });
    engines.push('p', 'stderr', 'warn', 5);
    engines.push('p', 'stdout', 'out 1%\rout 2%', 7);
    engines.push('q', 'stdout', 'other', 9);
    expect(engines.flush('p')).toEqual([
      { processId: 'p', stream: 'stdout', lines: ['out 2%'], at: 7 },
      { processId: 'p', stream: 'stderr', lines: ['warn'], at: 5 },
    ]);
    expect(engines.flush('p')).toEqual([]);
    expect(engines.flushAll()).toEqual([{ processId: 'q', stream: 'stdout', lines: ['other'], at: 9 }]);
    expect(engines.flushAll()).toEqual([]);
  });

  it('flushes everything in the order the streams first wrote', () => {
    const engines = new LineEngines();
    engines.push('q', 'stderr', 'y');
    engines.push('p', 'stdout', 'x');
    expect(engines.flushAll().map(({ processId, stream, lines }) => `${processId}:${stream}:${lines.join()}`)).toEqual(['q:stderr:y', 'p:stdout:x']);
  });
});

describe('endsLines', () => {
  it('holds for a result and the start of a retry, not for a first start or output', () => {
    const retry: ProcessEvent = { ...startEvent('p'), attempt: 2 } as ProcessEvent;
    const first: ProcessEvent = { ...startEvent('p'), attempt: 1 } as ProcessEvent;
    const output: ProcessEvent = { type: 'output', processId: 'p', stream: 'stdout', chunk: 'x', at: 0 };
    expect([resultEvent('p'), retry, first, startEvent('p'), output].map(endsLines)).toEqual([true, true, false, false, false]);
  });
});
