/**
 * One counting rule: `outcomeOf` puts each result in exactly one category, and the session
 * summary (summary.json), `aggregate` and `progress()` count a mix of real runs (succeeded,
 * failed, timed out, stopped by a halt, kept from starting by a halt and by an abort) the same.
 */
import { readFileSync } from 'node:fs';
import { concat, from, last, lastValueFrom, toArray } from 'rxjs';
import { countResults, outcomeOf } from '../../src/events/count-results';
import type { ProcessEvent, ProcessResult } from '../../src/events/types';
import { progress } from '../../src/progress/progress';
import { CommandProcess } from '../../src/runnable/command-process';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import type { SessionSummary } from '../../src/session/summary';
import { aggregateResults } from '../../src/strategies/aggregate';
import { wasHalted } from '../../src/strategies/halt-policy';
import { parallel } from '../../src/strategies/parallel';
import { toResults } from '../../src/strategies/results';
import { fixture, tempDirs } from '../helpers';
import { fixedResult } from '../strategies/helpers';

const temp = tempDirs('rxo-counts-');
afterAll(() => temp.cleanup());

const print = (processId: string, args: string[], options: { timeout?: number } = {}) =>
  new CommandProcess({ command: process.execPath, args: [fixture('print.js'), ...args], processId, killGraceMs: 1000, ...options });
const sleeper = (processId: string, options: { timeout?: number } = {}) =>
  new CommandProcess({ command: process.execPath, args: [fixture('sleep.js'), '10000'], processId, killGraceMs: 1000, ...options });

describe('outcomeOf', () => {
  it('puts each result in exactly one category, exit code 0 first', () => {
    const base = fixedResult('x', 1);
    const cases: Array<[Partial<ProcessResult>, string]> = [
      [{ exitCode: 0 }, 'succeeded'],
      [{ exitCode: 0, cancelled: true, reason: 'cancelled' }, 'succeeded'], // exited 0 when asked to stop: it did its work
      [{ exitCode: 130, cancelled: true, reason: 'not-started', pid: null }, 'not-started'],
      [{ exitCode: 143, cancelled: true, reason: 'cancelled' }, 'cancelled'],
      [{ exitCode: -1, timedOut: true, reason: 'timeout' }, 'timed-out'],
      [{ exitCode: 137, limitExceeded: 'memory', reason: 'signal' }, 'limit-exceeded'],
      [{ exitCode: 127, reason: 'spawn-error', pid: null }, 'other-failure'],
      [{ exitCode: 3 }, 'other-failure'],
    ];
    for (const [fields, outcome] of cases) expect(outcomeOf({ ...base, ...fields })).toBe(outcome);
    const counts = countResults(cases.map(([fields]) => ({ ...base, ...fields })));
    expect(counts).toEqual({ total: 8, succeeded: 2, failed: 6, notStarted: 1, cancelled: 1, timedOut: 1, limitExceeded: 1 });
  });
});

describe('summary, aggregate and progress count alike', () => {
  it('agree on a mix of real runs, with runs halted while running and kept from starting', async () => {
    const halted = [print('fails', ['--err', 'boom\n', '--code', '3']), sleeper('stopped'), print('queued-1', []), print('queued-2', [])];
    const plain = [print('ok', ['--out', 'fine\n']), sleeper('too-slow', { timeout: 0.3 })];
    const aborted = [print('never', [])];
    const all = [...halted, ...plain, ...aborted];
    const stop = new AbortController();
    stop.abort();
    const events: ProcessEvent[] = await lastValueFrom(
      concat(
        from(halted).pipe(parallel({ maxWorkers: 2, halt: { when: 'now', fail: 1 } })),
        from(plain).pipe(parallel({ maxWorkers: 2 })),
        from(aborted).pipe(parallel({ signal: stop.signal })),
      ).pipe(toArray()),
    );
    const results = await lastValueFrom(from(events).pipe(toResults(), toArray()));
    expect(results.map((r) => [r.processId, outcomeOf(r)]).sort()).toEqual([
      ['fails', 'other-failure'],
      ['never', 'not-started'],
      ['ok', 'succeeded'],
      ['queued-1', 'not-started'],
      ['queued-2', 'not-started'],
      ['stopped', 'cancelled'],
      ['too-slow', 'timed-out'],
    ]);
    expect(results.filter(wasHalted).map((r) => r.processId).sort()).toEqual(['queued-1', 'queued-2', 'stopped']);
    const expected = { total: 7, succeeded: 1, failed: 6, notStarted: 3, cancelled: 1, timedOut: 1, limitExceeded: 0 };

    // aggregate
    expect(aggregateResults(results, all).counts).toEqual(expected);

    // progress(): the last snapshot
    const snapshot = await lastValueFrom(from(events).pipe(progress({ processes: all }), last()));
    const { total, succeeded, failed, notStarted, cancelled, timedOut, limitExceeded } = snapshot;
    expect({ total, succeeded, failed, notStarted, cancelled, timedOut, limitExceeded }).toEqual(expected);

    // the session's summary.json
    const session = new OrchestratorSession({ patternName: 'counts', workingDir: temp.make() });
    try {
      const written = JSON.parse(readFileSync(await session.writeSummary(results), 'utf8')) as SessionSummary;
      expect(written.counts).toEqual(expected);
    } finally {
      await session.close();
    }
  }, 30_000);
});
