// Expert panel on the simulated agent: findings keyed by id whatever order the experts finish in,
// the aggregator's votes keyed by id, failures named; cancellation in the middle leaves no process.
import { lastValueFrom, toArray } from 'rxjs';
import { panel } from '../../src/patterns/panel';
import type { PatternEvent } from '../../src/patterns/verdict';
import { isDead, LONG_TESTS, tempDirs, waitFor, waitForDeath } from '../helpers';
import { phasesStarted, runToVerdict, simulated, watch } from './helpers';

const temp = tempDirs('rxo-panel-');
afterAll(() => temp.cleanup());
/** Heavier cases run with RXO_LONG_TESTS=1 (CI) only. */
const longIt = LONG_TESTS ? it : it.skip;
const findings = (point: string) => ({ findings: [{ severity: 'high', point }], recommendation: `fix ${point}` });

describe('panel', () => {
  it('experts finishing in any order are keyed by id, never by position; the aggregator votes by id', async () => {
    const agent = simulated(temp.make('ok'), [
      // The first expert listed finishes last.
      { match: 'as the security expert', structuredOutput: findings('injection'), delayMs: 15 },
      { match: 'as the performance expert', structuredOutput: findings('n+1 queries') },
      { match: 'You chair a review panel', structuredOutput: { consensus: 'not yet', votes: { 'expert-security': { agrees: true, note: 'injection' }, 'expert-performance': { agrees: false, note: 'fine' } }, dissent: 'performance' } },
    ]);
    const { events, verdict } = await runToVerdict(panel('Ship it?', { experts: ['security', 'performance'], agent }));
    expect(phasesStarted(events)).toEqual(['0:experts', '1:aggregation']);
    const finished = events.flatMap((e) => (e.type === 'result' ? [e.processId] : []));
    expect(finished.slice(0, 2)).toEqual(['expert-performance', 'expert-security']);
    expect(verdict).toMatchObject({
      decided: true, reason: null, consensus: 'not yet', dissent: 'performance',
      votes: { 'expert-security': { agrees: true }, 'expert-performance': { agrees: false } },
    });
    expect(verdict.findings['expert-security'].findings[0].point).toBe('injection');
    expect(verdict.findings['expert-performance'].findings[0].point).toBe('n+1 queries');
  });

  it('an expert failing is left out of the vote and named; a silent aggregator is a failure', async () => {
    const agent = simulated(temp.make('fails'), [
      { match: 'as the security expert', omitStructuredOutput: true },
      { match: 'You chair a review panel', omitStructuredOutput: true },
    ]);
    const { verdict } = await runToVerdict(panel('Ship it?', { experts: ['security', 'performance'], agent }));
    expect(verdict).toMatchObject({ decided: false, consensus: null, votes: {} });
    expect(verdict.reason).toBe('the aggregator failed: Claude returned no structured output (jsonSchema was given, but the model never answered in it)');
    expect(Object.keys(verdict.failures).sort()).toEqual(['aggregator', 'expert-security']);
    expect(Object.keys(verdict.findings)).toEqual(['expert-performance']);
  });

  longIt('an aggregator vote for an id it was not given fails validation (no vote is invented)', async () => {
    const agent = simulated(temp.make('bad-vote'), [
      { match: 'You chair a review panel', structuredOutput: { consensus: 'ok', votes: { 'expert-0': { agrees: true, note: '' } }, dissent: '' } },
    ]);
    const { verdict } = await runToVerdict(panel('Ship it?', { experts: ['security'], agent }));
    expect(verdict.decided).toBe(false);
    expect(verdict.reason).toMatch(/\/votes must have required property 'expert-security'.*\/votes must NOT have additional properties/);
  });

  it('cancellation mid-pattern: unsubscribing during the experts kills every process and runs nothing more', async () => {
    const agent = simulated(temp.make('cancel'), [{ match: 'expert', delayMs: 1000 }]);
    const seen: PatternEvent[] = [];
    const subscription = panel('Ship it?', { experts: ['security', 'performance'], agent }).subscribe((e) => seen.push(e));
    await waitFor(() => seen.filter((e) => e.type === 'start').length === 2, 'both experts started');
    const pids = seen.flatMap((e) => (e.type === 'start' ? [e.pid] : []));
    subscription.unsubscribe();
    await waitForDeath(pids);
    expect(pids.every(isDead)).toBe(true);
    expect(seen.some((e) => e.type === 'verdict' || (e.type === 'start' && e.processId === 'aggregator'))).toBe(false);
  });

  it('a graceful stop mid-pattern: the running experts are stopped, the aggregator never starts, the verdict says stopped', async () => {
    const agent = simulated(temp.make('stop'), [{ match: 'expert', delayMs: 1000 }]);
    const stop = new AbortController();
    const seen: PatternEvent[] = [];
    const done = lastValueFrom(watch(panel('Ship it?', { experts: ['security', 'performance'], agent, signal: stop.signal }), seen).pipe(toArray()));
    await waitFor(() => seen.filter((e) => e.type === 'start').length === 2, 'both experts started');
    stop.abort('SIGINT');
    const events = await done;
    const verdict = events[events.length - 1];
    expect(verdict.type === 'verdict' && verdict.verdict).toMatchObject({ decided: false, reason: 'stopped (SIGINT): no expert reported findings, so there was nothing to aggregate' });
    expect(events.some((e) => e.type === 'start' && e.processId === 'aggregator')).toBe(false);
    const summary = events.find((e) => e.type === 'summary');
    expect(summary).toMatchObject({ stopped: 'graceful', stoppedBy: 'SIGINT', succeeded: false });
  });
});
