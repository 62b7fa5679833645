/**
 * The orchestrator's pure parts: the strategy-success rule, the start-delay stagger, the demo
 * plan, and the plan settings kept for resume.
 */
import { type ProcessResult } from '../../src/index';
import { parseHalt } from '../../src/toolkit';
import { demoPlan } from '../../src/orchestrator/demo';
import { settingsOptions, storedSettings } from '../../src/orchestrator/resume-plan';
import { staggeredDelayMs, startSlots, strategyOperator, strategySucceeded } from '../../src/orchestrator/strategy';

const result = (processId: string, exitCode: number): ProcessResult => ({ processId, exitCode }) as ProcessResult;

describe('strategySucceeded', () => {
  it('needs every result to succeed, except fallback (the last one) and a success halt policy', () => {
    expect(strategySucceeded('parallel', [result('a', 0), result('b', 1)])).toBe(false);
    expect(strategySucceeded('sequential', [result('a', 0), result('b', 0)])).toBe(true);
    expect(strategySucceeded('fallback', [result('a', 1), result('b', 0)])).toBe(true);
    expect(strategySucceeded('fallback', [result('a', 0), result('b', 1)])).toBe(false);
    expect(strategySucceeded('parallel', [])).toBe(false);
    const halt = parseHalt('now,success=1');
    expect(strategySucceeded('parallel', [result('a', 1), result('b', 0)], { halt, total: 3 })).toBe(true);
  });
});

describe('start-delay stagger', () => {
  it('spaces the runs that start together: the first maxWorkers of parallel, each batch of batched, none in sequence', () => {
    expect([0, 1, 2, 3, 4].map((i) => staggeredDelayMs('parallel', i, 500, 3))).toEqual([0, 500, 1000, 0, 0]);
    expect([0, 1, 2, 3, 4].map((i) => staggeredDelayMs('batched', i, 500, 2))).toEqual([0, 500, 0, 500, 0]);
    expect([0, 1, 2].map((i) => staggeredDelayMs('sequential', i, 500, 2))).toEqual([0, 0, 0]);
    expect([0, 1, 2].map((i) => staggeredDelayMs('fallback', i, 500, 2))).toEqual([0, 0, 0]);
  });

  it('counts the slots: the batch size for batched, maxWorkers otherwise', () => {
    expect(startSlots('batched', {})).toBe(2);
    expect(startSlots('batched', { batchSize: 5, maxWorkers: 1 })).toBe(5);
    expect(startSlots('parallel', { maxWorkers: 4 })).toBe(4);
    expect(startSlots('parallel', { maxWorkers: 'auto' })).toBeGreaterThanOrEqual(1);
  });
});

describe('strategyOperator', () => {
  it('refuses bad options before anything runs', () => {
    expect(() => strategyOperator('parallel', { maxWorkers: 0 })).toThrow(/maxWorkers must be a positive integer/);
    expect(() => strategyOperator('sequential', { timeoutMs: -1 })).toThrow(/timeoutMs must be a finite number of milliseconds/);
    expect(() => strategyOperator('bogus' as never, {})).toThrow(/strategy must be one of run, parallel/);
  });
});

describe('plan settings for resume', () => {
  it('keeps JSON values, durations in milliseconds (the start delay too), and reads them back', () => {
    const stored = storedSettings({ maxWorkers: 3, timeoutMs: 1500, passOutput: true, startDelayMs: 10 });
    expect(stored).toEqual({ maxWorkers: 3, timeoutMs: 1500, passOutput: true, startDelayMs: 10 });
    expect(settingsOptions(stored)).toEqual({ maxWorkers: 3, timeoutMs: 1500, passOutput: true, startDelayMs: 10 });
  });

  it('reads the timeout in seconds of plans written before 0.2', () => {
    expect(settingsOptions({ maxWorkers: 2, timeout: 1.5 })).toEqual({ maxWorkers: 2, timeoutMs: 1500 });
  });
});

describe('demoPlan', () => {
  it('is a plan like any other: three phases of Claude specs on the agent given', () => {
    const plan = demoPlan({ agentCommand: '/bin/agent', options: { timeoutMs: 1000 } });
    expect(plan.phases.map((phase) => [phase.strategy, phase.processes.map((p) => p.processId)])).toEqual([
      ['parallel', ['security', 'performance', 'maintainability']],
      ['sequential', ['analyze', 'plan', 'implement']],
      ['fallback', ['advanced', 'standard', 'basic']],
    ]);
    expect(plan.phases[0].options).toEqual({ timeoutMs: 1000, maxWorkers: 3 });
    expect(plan.phases[1].options).toMatchObject({ passOutput: true, stopOnFailure: true });
    expect(plan.phases.flatMap((phase) => phase.processes).every((p) => 'spec' in p && p.spec?.kind === 'claude' && (p.spec as { command?: string }).command === '/bin/agent')).toBe(true);
  });
});
