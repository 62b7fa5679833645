/**
 * `orchestrate(plan, options)` with real processes (node fixtures): phases in order with their
 * events, the success rule, results in submission order, specs built with and without a session,
 * resume filtering, the two-step stop (graceful, then forced), unsubscribe, and errors found
 * before anything runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { CommandProcess, orchestrate, type OrchestrationEvent, type Plan, type PlannedProcess, type SummaryEvent } from '../../src/index';
import { createStopper, isOrchestratorEvent } from '../../src/toolkit';
import { fixture, isAlive, tempDirs, waitFor } from '../helpers';

const temp = tempDirs('rxo-orchestrate-');
afterAll(() => temp.cleanup());

const node = (processId: string, name: string, ...args: string[]): CommandProcess =>
  new CommandProcess({ command: process.execPath, args: [fixture(name), ...args], processId });
const exitSpec = (processId: string, code: number): PlannedProcess => ({ processId, spec: { kind: 'command', processId, command: process.execPath, args: [fixture('exit.js'), String(code)] } });

function all(events$: Observable<OrchestrationEvent>): Promise<OrchestrationEvent[]> {
  return lastValueFrom(events$.pipe(toArray()));
}
const summaryOf = (events: readonly OrchestrationEvent[]): SummaryEvent => events[events.length - 1] as SummaryEvent;

describe('phases', () => {
  it('runs the phases in order: plan-start, then phase-start, process events, phase-end, and a last summary', async () => {
    const plan: Plan = {
      phases: [
        { name: 'first', strategy: 'parallel', processes: [node('a', 'exit.js', '0'), node('b', 'exit.js', '0')], options: { maxWorkers: 2 } },
        { strategy: 'fallback', processes: [node('x', 'exit.js', '3'), node('y', 'exit.js', '0'), node('z', 'exit.js', '0')] },
      ],
    };
    const events = await all(orchestrate(plan));
    const own = events.filter(isOrchestratorEvent).map((event) => (event.type === 'phase-start' || event.type === 'phase-end' ? `${event.type}:${event.phase.name}` : event.type));
    expect(own).toEqual(['plan-start', 'phase-start:first', 'phase-end:first', 'phase-start:fallback', 'phase-end:fallback', 'summary']);
    for (const event of events.filter(isOrchestratorEvent)) expect(typeof event.at).toBe('number');
    const summary = summaryOf(events);
    // Fallback: the last one tried succeeded, so the phase (and the run) succeeded; z never ran.
    expect(summary.succeeded).toBe(true);
    expect(summary.results.map((r) => [r.processId, r.exitCode])).toEqual([['a', 0], ['b', 0], ['x', 3], ['y', 0]]);
    expect(summary.aggregate.counts).toMatchObject({ total: 4, succeeded: 3, failed: 1 });
    expect(summary.stopped).toBeNull();
    expect(summary.sessionDir).toBeUndefined();
  });

  it('a failing parallel phase fails the run; phase results come in submission order', async () => {
    const plan: Plan = { phases: [{ strategy: 'parallel', processes: [node('slow', 'sleep.js', '300'), node('fast', 'exit.js', '1')], options: { maxWorkers: 2 } }] };
    const events = await all(orchestrate(plan));
    const ends = events.filter((event) => event.type === 'result').map((event) => (event.type === 'result' ? event.processId : ''));
    expect(ends).toEqual(['fast', 'slow']);
    const summary = summaryOf(events);
    expect(summary.results.map((r) => r.processId)).toEqual(['slow', 'fast']);
    expect(summary.succeeded).toBe(false);
  });

  it('checks every phase before anything runs or any directory is made', async () => {
    const dir = temp.make('invalid');
    const plan: Plan = { phases: [{ strategy: 'parallel', processes: [exitSpec('a', 0)] }, { strategy: 'batched', processes: [exitSpec('b', 0)], options: { batchSize: 0 } }] };
    await expect(all(orchestrate(plan, { session: { patternName: 'bad', workingDir: dir } }))).rejects.toThrow(/batchSize must be a positive integer/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('specs and logs', () => {
  it('builds specs through a session it opens: plan.json, process logs, summary.json, then closes it', async () => {
    const dir = temp.make('session');
    const plan: Plan = { phases: [{ name: 'both', strategy: 'sequential', processes: [exitSpec('one', 0), exitSpec('two', 2)] }] };
    const summary = summaryOf(await all(orchestrate(plan, { session: { patternName: 'spec', workingDir: dir }, details: { why: 'a spec' } })));
    expect(summary.sessionDir).toBeDefined();
    const logDir = summary.sessionDir as string;
    expect(readdirSync(logDir).sort()).toEqual(['joblog.tsv', 'one.log', 'plan.json', 'processes.tsv', 'session.log', 'summary.json', 'two.log']);
    const written = JSON.parse(readFileSync(join(logDir, 'summary.json'), 'utf8')) as { details: Record<string, unknown>; counts: { total: number } };
    expect(written.details).toEqual({ why: 'a spec', interruptedBy: null });
    expect(written.counts.total).toBe(2);
    expect(readFileSync(join(logDir, 'session.log'), 'utf8')).toMatch(/exit: failure[\s\S]*closed/);
    expect(summary.logErrors).toEqual([]);
  });

  it('log: false builds the specs without a session: nothing is written', async () => {
    const dir = temp.make('no-log');
    const plan: Plan = { phases: [{ strategy: 'parallel', processes: [exitSpec('one', 0)] }] };
    const summary = summaryOf(await all(orchestrate(plan, { session: { patternName: 'quiet', workingDir: dir }, log: false })));
    expect(summary.results.map((r) => r.exitCode)).toEqual([0]);
    expect(summary.sessionDir).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('resumeFailed leaves out what succeeded in the earlier session and records where it resumed from', async () => {
    const dir = temp.make('resume');
    const plan: Plan = { phases: [{ strategy: 'parallel', processes: [exitSpec('ok', 0), exitSpec('bad', 1)] }] };
    const first = summaryOf(await all(orchestrate(plan, { session: { patternName: 'first', workingDir: dir } })));
    const events = await all(orchestrate(plan, { session: { patternName: 'second', workingDir: dir }, resumeFailed: first.sessionDir }));
    const start = events[0];
    expect(start).toMatchObject({ type: 'plan-start', resumedFrom: first.sessionDir, phases: [{ processIds: ['bad'] }] });
    expect(summaryOf(events).results.map((r) => r.processId)).toEqual(['bad']);
  });

  it('a ready Runnable in a plan logs to the session too, so resumeFailed knows it succeeded', async () => {
    const dir = temp.make('ready');
    // Built without the session: the orchestrator attaches the session's logs to it.
    const ready = new CommandProcess({ command: process.execPath, args: [fixture('exit.js'), '0'], processId: 'ready' });
    const plan: Plan = { phases: [{ strategy: 'parallel', processes: [ready, exitSpec('bad', 1)] }] };
    const first = summaryOf(await all(orchestrate(plan, { session: { patternName: 'first', workingDir: dir } })));
    expect(readdirSync(first.sessionDir!)).toContain('ready.log');
    expect(readFileSync(join(first.sessionDir!, 'joblog.tsv'), 'utf8')).toMatch(/^ready\t/m);
    const events = await all(orchestrate(plan, { session: { patternName: 'second', workingDir: dir }, resumeFailed: first.sessionDir }));
    expect(summaryOf(events).results.map((r) => r.processId)).toEqual(['bad']);
  });
});

describe('stopping', () => {
  it('a first abort stops gracefully: running processes cancelled, later phases skipped, the reason recorded', async () => {
    const stopper = createStopper();
    const plan: Plan = { phases: [{ strategy: 'parallel', processes: [node('sleeper', 'sleep.js', '30000')] }, { strategy: 'parallel', processes: [node('later', 'exit.js', '0')] }] };
    const events$ = orchestrate(plan, { signal: stopper.signal, forceSignal: stopper.forceSignal });
    const seen: OrchestrationEvent[] = [];
    const done = new Promise<void>((resolve, reject) => events$.subscribe({ next: (event) => seen.push(event), error: reject, complete: resolve }));
    await waitFor(() => seen.some((event) => event.type === 'start'), 'the sleeper to start');
    expect(stopper.stop('SIGINT')).toBe('graceful');
    await done;
    const summary = summaryOf(seen);
    expect(summary).toMatchObject({ stopped: 'graceful', stoppedBy: 'SIGINT', succeeded: false });
    expect(summary.results.map((r) => [r.processId, r.cancelled])).toEqual([['sleeper', true]]);
    expect(seen.filter((event) => event.type === 'phase-start')).toHaveLength(1);
  });

  it('a second abort SIGKILLs a process that ignores SIGTERM, without waiting for its kill grace', async () => {
    const stopper = createStopper();
    const stubborn = new CommandProcess({ command: process.execPath, args: [fixture('ignore-sigterm.js')], processId: 'stubborn', killGraceMs: 60000 });
    const seen: OrchestrationEvent[] = [];
    const done = new Promise<void>((resolve, reject) =>
      orchestrate({ phases: [{ strategy: 'parallel', processes: [stubborn] }] }, { signal: stopper.signal, forceSignal: stopper.forceSignal }).subscribe({ next: (event) => seen.push(event), error: reject, complete: resolve }),
    );
    await waitFor(() => seen.some((event) => event.type === 'output' && event.chunk.includes('ready')), 'the process to be ready');
    const pid = seen.flatMap((event) => (event.type === 'start' ? [event.pid] : []))[0];
    stopper.stop();
    // Still alive: it ignores SIGTERM and its grace is a minute.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(isAlive(pid)).toBe(true);
    const forcedAt = Date.now();
    expect(stopper.stop()).toBe('forced');
    await done;
    expect(Date.now() - forcedAt).toBeLessThan(5000);
    expect(isAlive(pid)).toBe(false);
    const summary = summaryOf(seen);
    expect(summary.stopped).toBe('forced');
    expect(summary.results[0]).toMatchObject({ signal: 'SIGKILL', forced: false, cancelled: true });
  });

  it('unsubscribing kills the running processes', async () => {
    const seen: OrchestrationEvent[] = [];
    const subscription = orchestrate({ phases: [{ strategy: 'parallel', processes: [node('sleeper', 'sleep.js', '30000')] }] }).subscribe((event) => seen.push(event));
    await waitFor(() => seen.some((event) => event.type === 'start'), 'the sleeper to start');
    const pid = seen.flatMap((event) => (event.type === 'start' ? [event.pid] : []))[0];
    subscription.unsubscribe();
    await waitFor(() => !isAlive(pid), 'the sleeper to be gone', 8000);
  });
});
