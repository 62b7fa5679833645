// Result helpers: toResults, succeeded, inSubmissionOrder (repeated and unknown ids), resultsById.
import { from, lastValueFrom, toArray } from 'rxjs';
import { inSubmissionOrder, isResultEvent, resultsById, succeeded, toResults } from '../../src/strategies/results';
import { fixedResult, outputEvent, resultEvent, startEvent } from './helpers';

describe('result helpers', () => {
  it('toResults keeps only the results of an event stream, in order', async () => {
    const events = [startEvent('a'), outputEvent('a', 'x'), resultEvent('a'), startEvent('b'), resultEvent('b', 2)];
    expect(await lastValueFrom(from(events).pipe(toResults(), toArray()))).toEqual([fixedResult('a'), fixedResult('b', 2)]);
    expect(events.filter(isResultEvent)).toHaveLength(2);
  });

  it('succeeded is exit code 0 only', () => {
    expect(succeeded(fixedResult('a', 0))).toBe(true);
    expect(succeeded(fixedResult('a', 1))).toBe(false);
    expect(succeeded(fixedResult('a', -1))).toBe(false);
  });

  it('inSubmissionOrder matches repeated ids in order of appearance and puts unknown ids last', () => {
    const results = [fixedResult('x', 0, 'x2'), fixedResult('stray'), fixedResult('y'), fixedResult('x', 0, 'x1')];
    const ordered = inSubmissionOrder(results, [{ processId: 'y' }, { processId: 'x' }, { processId: 'x' }, { processId: 'missing' }]);
    expect(ordered.map((r) => `${r.processId}:${r.output}`)).toEqual(['y:', 'x:x2', 'x:x1', 'stray:']);
  });

  it('resultsById keys results by id, the last of a repeated id winning', () => {
    const byId = resultsById([fixedResult('a', 1), fixedResult('b'), fixedResult('a', 0)]);
    expect([...byId.keys()]).toEqual(['a', 'b']);
    expect(byId.get('a')?.exitCode).toBe(0);
  });
});
