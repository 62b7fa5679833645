// Cascade on the simulated agent: escalation on a failed gate, a crash, a timeout; a check command
// as the gate; the verdict says which level answered and why the earlier ones did not.
import { cascade } from '../../src/patterns/cascade';
import { LONG_TESTS, tempDirs } from '../helpers';
import { phasesStarted, runToVerdict, simulated } from './helpers';

const temp = tempDirs('rxo-cascade-');
afterAll(() => temp.cleanup());
/** Heavier cases run with RXO_LONG_TESTS=1 (CI) only. */
const longIt = LONG_TESTS ? it : it.skip;
const assessed = (confidence: number, answer = `answer at ${confidence}`) => ({ answer, confidence, missing: confidence < 0.7 ? 'edge cases' : '' });

describe('cascade', () => {
  it('a low self-assessment escalates; the first level that passes answers; later levels never run', async () => {
    const agent = simulated(temp.make('gate'), [
      { match: 'TASK-A', model: 'sim-haiku', structuredOutput: assessed(0.4) },
      { match: 'TASK-A', model: 'sim-sonnet', structuredOutput: assessed(0.9, 'the sonnet answer') },
    ]);
    const { events, verdict } = await runToVerdict(cascade('TASK-A: summarise', { models: ['sim-haiku', 'sim-sonnet', 'sim-opus'], agent }));
    expect(phasesStarted(events)).toEqual(['0:level 1: sim-haiku', '1:level 2: sim-sonnet']);
    const start = events[0];
    expect(start.type === 'plan-start' && start.phases.map((p) => p.name)).toEqual(['level 1: sim-haiku', 'level 2: sim-sonnet', 'level 3: sim-opus']);
    expect(verdict).toMatchObject({ decided: true, level: 2, model: 'sim-sonnet', processId: 'level-2-sim-sonnet', answer: 'the sonnet answer' });
    expect(verdict.reason).toBe('level 1 (sim-haiku) assessed its confidence at 0.4 (below the threshold 0.7); missing: edge cases');
    expect(verdict.levels.map((l) => l.outcome)).toEqual(['gate-failed', 'passed', 'not-run']);
  });

  longIt('a crash and a timeout escalate too; when no level passes there is no answer, and each level says why', async () => {
    const agent = simulated(temp.make('fail'), [
      { match: 'TASK-B', model: 'sim-haiku', crash: true },
      { match: 'TASK-B', model: 'sim-sonnet', delayMs: 2000 },
      { match: 'TASK-B', model: 'sim-opus', structuredOutput: assessed(0.5) },
    ]);
    const { verdict } = await runToVerdict(cascade('TASK-B: fix it', { models: ['sim-haiku', 'sim-sonnet', 'sim-opus'], agent, levelTimeoutMs: 1500 }));
    expect(verdict).toMatchObject({ decided: false, level: null, answer: null });
    expect(verdict.levels.map((l) => l.outcome)).toEqual(['failed', 'timeout', 'gate-failed']);
    expect(verdict.reason).toMatch(/^no level passed its gate: level 1 \(sim-haiku\) failed: .*; level 2 \(sim-sonnet\) timed out.*; level 3 \(sim-opus\) assessed its confidence at 0.5/);
    expect(Object.keys(verdict.failures).sort()).toEqual(['level-1-sim-haiku', 'level-2-sim-sonnet']);
  }, 20_000);

  it('with a check command as the gate: a level passes when its check exits 0 in the working directory', async () => {
    const dir = temp.make('check');
    const agent = { ...simulated(dir), cwd: dir };
    // The check passes only for the second level: it counts its own runs in a file.
    const check = 'n=$(cat runs 2>/dev/null || echo 0); n=$((n+1)); echo $n > runs; echo "check run $n"; [ $n -ge 2 ]';
    const { events, verdict } = await runToVerdict(cascade('TASK-C', { models: ['sim-a', 'sim-b', 'sim-c'], agent, check }));
    expect(verdict).toMatchObject({ decided: true, level: 2, processId: 'level-2-sim-b' });
    expect(verdict.levels.map((l) => [l.outcome, l.reason])).toEqual([
      ['gate-failed', 'failed its check (exit 1)'], ['passed', 'its check exited 0'], ['not-run', 'not run'],
    ]);
    const ended = events.flatMap((e) => (e.type === 'phase-end' ? [e.phase.processIds.join(',')] : []));
    expect(ended).toEqual(['level-1-sim-a,level-1-sim-a-check', 'level-2-sim-b,level-2-sim-b-check']);
  });

  it('refuses bad options, naming them', () => {
    expect(() => cascade('t', { models: [] })).toThrow(/models must be a non-empty list/);
    expect(() => cascade('t', { models: ['a'], threshold: 2 })).toThrow(/threshold must be a number from 0 to 1, received 2/);
    expect(() => cascade('t', { models: ['a'], check: '' })).toThrow(/check must be a command line/);
  });
});
