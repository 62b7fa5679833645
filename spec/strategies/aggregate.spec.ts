/**
 * aggregate / aggregateResults: orders, counts, total and critical-path durations, failures with
 * reasons and Claude totals, over real processes (and constructed results for Claude totals).
 */
import { from, lastValueFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { aggregate, aggregateResults } from '../../src/strategies/aggregate';
import { aggregate as publicAggregate } from '../../src/index';
import { aggregateResults as publicAggregateResults } from '../../src/toolkit';
import { CommandProcess } from '../../src/runnable/command-process';
import { parallel } from '../../src/strategies/parallel';
import { runParallel } from '../../src/strategies/parallel';
import { runSequential } from '../../src/strategies/sequential';
import type { ClaudeResult, ClaudeRunInfo } from '../../src/agents/claude/types';
import { claudeTotals } from '../../src/agents/claude/totals';
import type { RetriedResult } from '../../src/operators/retried-result';
import type { ProcessResult } from '../../src/process/types';
import { readFileSync } from 'node:fs';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import type { SessionSummary } from '../../src/session/summary';
import { fixture, makeTempDir, removeDir } from '../helpers';
import { fixedResult, resultEvent, startEvent } from './helpers';

const node = (processId: string, script: string): CommandProcess =>
  new CommandProcess({ command: process.execPath, args: ['-e', script], processId });
const sleeper = (processId: string, seconds: number): CommandProcess =>
  new CommandProcess({ command: process.execPath, args: [fixture('sleep.js'), String(seconds * 1000)], processId });

function claudeInfo(costUsd: number, inputTokens: number, outputTokens: number, model: string): ClaudeRunInfo {
  const usage = { inputTokens, outputTokens, cacheCreationInputTokens: 1, cacheReadInputTokens: 2 };
  return {
    sessionId: 's',
    model,
    subtype: 'success',
    isError: false,
    costUsd,
    numTurns: 2,
    durationMs: 100,
    durationApiMs: 80,
    usage,
    modelUsage: { [model]: { ...usage, costUsd } },
    permissionDenials: [],
  };
}

describe('aggregate', () => {
  it('is what the package exports', () => {
    expect(publicAggregate).toBe(aggregate);
    expect(publicAggregateResults).toBe(aggregateResults);
  });

  it('orders results by submission and by id, counts them and lists failures with reasons (real processes)', async () => {
    const jobs = [
      sleeper('slow', 0.4),
      node('fails', 'console.error("disk full"); process.exit(3)'),
      new CommandProcess({ command: 'no-such-command-rxo', processId: 'missing' }),
      node('fast', 'console.log("ok")'),
    ];
    const summary = await lastValueFrom(from(jobs).pipe(parallel({ maxWorkers: 4 }), aggregate(jobs)));
    expect(summary.results.map((r) => r.processId)).toEqual(['slow', 'fails', 'missing', 'fast']);
    expect(Object.keys(summary.byId).sort()).toEqual(['fails', 'fast', 'missing', 'slow']);
    expect(summary.byId.fast.output).toBe('ok\n');
    expect(summary.counts).toEqual({ total: 4, succeeded: 2, failed: 2, timedOut: 0, cancelled: 0, notStarted: 0, limitExceeded: 0 });
    expect(summary.failures).toEqual([
      { processId: 'fails', exitCode: 3, reason: 'exit', error: 'exited with code 3: disk full' },
      { processId: 'missing', exitCode: 127, reason: 'spawn-error', error: 'command not found: no-such-command-rxo (searched PATH)' },
    ]);
    expect(claudeTotals(summary.results)).toBeNull();
    const sum = summary.results.reduce((s, r) => s + r.duration, 0);
    expect(summary.totalDurationMs).toBeCloseTo(sum * 1000, 6);
    // Wall span of the spawned ones: from the earliest start to the latest end.
    const spawned = summary.results.filter((r) => r.pid !== null);
    expect(summary.startedAt).toBe(Math.min(...spawned.map((r) => r.startedAt)));
    expect(summary.endedAt).toBe(Math.max(...spawned.map((r) => r.startedAt + r.duration * 1000)));
    expect(summary.criticalPathMs).toBe((summary.endedAt ?? 0) - (summary.startedAt ?? 0));
  });

  it('critical path: the longest span for processes side by side, the whole chain for a sequence', async () => {
    const side = [sleeper('a', 1.5), sleeper('b', 1.5), sleeper('c', 1.5)];
    const together = aggregateResults(await runParallel(side, { maxWorkers: 3 }), side);
    const longest = Math.max(...together.results.map((r) => r.duration));
    expect(together.criticalPathMs).toBeGreaterThanOrEqual(longest * 1000 - 2);
    // All three were running at once (each sleeps 1.5 s), so the span is far below the sum.
    expect(together.criticalPathMs).toBeLessThan(together.totalDurationMs - 1000);

    const chain = [sleeper('one', 0.3), sleeper('two', 0.3), sleeper('three', 0.3)];
    const sequence = aggregateResults(await runSequential(chain), chain);
    // One after another: the span covers every duration (clock granularity aside).
    expect(sequence.criticalPathMs).toBeGreaterThanOrEqual(sequence.totalDurationMs - 10);
  }, 30_000);

  it('breaks failures down: timed out, cancelled, not started, over a limit', async () => {
    const controller = new AbortController();
    const timedOut = await sleeper('timed-out', 30).run({ timeoutMs: 300 });
    const running = sleeper('cancelled', 30).run({ signal: controller.signal });
    const notStarted = sleeper('not-started', 30).run({ signal: AbortSignal.abort() });
    setImmediate(() => controller.abort());
    const overLimit = await new CommandProcess({
      command: process.execPath,
      args: [fixture('burn-cpu.js')],
      processId: 'burner',
      limits: { cpuSeconds: 1 },
      timeout: 120,
    }).run();
    const summary = aggregateResults([timedOut, await running, await notStarted, overLimit]);
    expect(summary.counts).toEqual({ total: 4, succeeded: 0, failed: 4, timedOut: 1, cancelled: 1, notStarted: 1, limitExceeded: 1 });
    expect(summary.failures.map((f) => [f.processId, f.reason])).toEqual([
      ['timed-out', 'timeout'],
      ['cancelled', 'cancelled'],
      ['not-started', 'not-started'],
      ['burner', 'signal'],
    ]);
    expect(summary.failures[3].error).toMatch(/CPU time limit of 1 s/);
  }, 150_000);

  it('Claude cost and tokens are summed by claudeTotals over the results that carry them (aggregate knows no agent)', () => {
    const results: ClaudeResult[] = [
      { ...fixedResult('a'), claude: claudeInfo(0.25, 100, 10, 'sonnet') },
      { ...fixedResult('b', 1), claude: claudeInfo(0.5, 200, 20, 'opus') },
      fixedResult('c'),
    ];
    const summary = aggregateResults(results);
    expect(Object.keys(summary)).not.toContain('claude');
    expect(claudeTotals(summary.results)).toEqual({
      runs: 2,
      costUsd: 0.75,
      numTurns: 4,
      usage: { inputTokens: 300, outputTokens: 30, cacheCreationInputTokens: 2, cacheReadInputTokens: 4 },
      byModel: {
        sonnet: { inputTokens: 100, outputTokens: 10, cacheCreationInputTokens: 1, cacheReadInputTokens: 2, costUsd: 0.25 },
        opus: { inputTokens: 200, outputTokens: 20, cacheCreationInputTokens: 1, cacheReadInputTokens: 2, costUsd: 0.5 },
      },
    });
  });

  it('with retries, every attempt counts toward the durations and the span', () => {
    const result: RetriedResult = {
      ...fixedResult('flaky'),
      startedAt: 10_000,
      duration: 1,
      attempts: [
        { attempt: 1, exitCode: 1, reason: 'exit', signal: null, error: 'x', durationMs: 2000, startedAt: 5_000, pid: 101, timedOut: false, delayBeforeMs: 0 },
        { attempt: 2, exitCode: 0, reason: 'exit', signal: null, error: null, durationMs: 1000, startedAt: 10_000, pid: 102, timedOut: false, delayBeforeMs: 3000 },
      ],
    };
    const summary = aggregateResults([result]);
    expect(summary.totalDurationMs).toBe(3000);
    expect([summary.startedAt, summary.endedAt, summary.criticalPathMs]).toEqual([5_000, 11_000, 6000]);
  });

  it('emits once, when the source completes; an empty source gives an empty aggregate', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const events = { s: startEvent('a'), a: resultEvent('a'), b: resultEvent('b', 2) };
      const source = cold('s-a--b-|', events);
      expectObservable(source.pipe(aggregate())).toBe('-------(x|)', {
        x: aggregateResults([events.a.type === 'result' ? events.a.result : fixedResult('?'), fixedResult('b', 2)]),
      });
      expectObservable(cold<ProcessResult>('|').pipe(aggregate())).toBe('(x|)', { x: aggregateResults([]) });
    });
    const empty = aggregateResults([]);
    expect(empty).toMatchObject({ results: [], totalDurationMs: 0, criticalPathMs: 0, startedAt: null, endedAt: null, failures: [] });
    expect(empty.counts.total).toBe(0);
  });

  it('accepts plain results as well as events', async () => {
    const summary = await lastValueFrom(from([fixedResult('x'), fixedResult('y', 4)]).pipe(aggregate([{ processId: 'y' }, { processId: 'x' }])));
    expect(summary.results.map((r) => r.processId)).toEqual(['y', 'x']);
    expect(summary.failures).toEqual([{ processId: 'y', exitCode: 4, reason: 'exit', error: 'exited with code 4' }]);
  });

  it('a session summary (summary.json) carries the totals: process time, wall time, Claude totals', async () => {
    const dir = makeTempDir('rxo-aggregate-session-');
    const session = new OrchestratorSession({ patternName: 'aggregate', workingDir: dir });
    try {
      const jobs = [session.createCommand(process.execPath, [fixture('sleep.js'), '200'], 'a'), session.createCommand('false', [], 'b')];
      const results = await runParallel(jobs);
      const written = JSON.parse(readFileSync(await session.writeSummary(results), 'utf8')) as SessionSummary;
      const expected = aggregateResults(results);
      expect(written.totals).toEqual({ totalDurationMs: expected.totalDurationMs, criticalPathMs: expected.criticalPathMs });
    } finally {
      await session.close();
      removeDir(dir);
    }
  });
});
