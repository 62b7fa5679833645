// retry: the schedule of attempts (marble tests: fixed and exponential waits, the cap, a wait cut
// short by abort or unsubscribe), which results are retried, validation, and real processes
// (a flaky program, timeouts retried, cancellation never retried, spawn errors, one log per process).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ClaudeProcess } from '../../src/runnable/claude-process';
import { join } from 'node:path';
import { from, lastValueFrom, map, tap, toArray, VirtualTimeScheduler, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { CommandProcess } from '../../src/runnable/command-process';
import { mirrorOutput } from '../../src/operators/mirror-output';
import { retrying, withRetry } from '../../src/operators/retry';
import { checkRetryOptions, retryDelayMs, type RetryOptions } from '../../src/operators/retry-options';
import type { ProcessEvent, ProcessResult, RunOptions, StartEvent } from '../../src/process/types';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import { parallel } from '../../src/strategies/parallel';
import { toResults } from '../../src/strategies/results';
import { collect, isDead, resultOf, startRun, tempDirs, waitFor } from '../helpers';
import { FakeRunnable, fixedResult, startEvent } from '../strategies/helpers';
import { attemptsOf } from '../../src/operators/retried-result';

const temp = tempDirs('rxo-retry-');
afterAll(() => temp.cleanup());

const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** A result event with the given fields over a fixed result. */
function result(processId: string, fields: Partial<ProcessResult>): ProcessEvent {
  return { type: 'result', processId, result: { ...fixedResult(processId, fields.exitCode ?? 0), ...fields }, at: 0 };
}

const failed = result('job', { exitCode: 1 });
const ok = result('job', { exitCode: 0 });
/** The start of an attempt, numbered `seq` in the run as a whole (withRetry numbers across attempts). */
const attemptStart = (attempt: number, seq: number): ProcessEvent => ({ ...(startEvent('job') as StartEvent), attempt, seq });

/** A FakeRunnable whose n-th run is the n-th of `runs`. */
function sequenceOf(runs: Observable<ProcessEvent>[]): FakeRunnable {
  let next = 0;
  return new FakeRunnable('job', () => runs[Math.min(next++, runs.length - 1)]);
}

describe('retry schedule (marble)', () => {
  it('waits delay * 2^(n-1) between attempts with exponential backoff and emits only the last result', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('-s-(f|)', { s: startEvent('job'), f: failed });
      const second = cold('-s-(f|)', { s: startEvent('job'), f: failed });
      const third = cold('-s-(r|)', { s: startEvent('job'), r: ok });
      const runnable = sequenceOf([first, second, third]);
      const retried = withRetry(runnable, { count: 3, delayMs: 1000, backoff: 'exponential' });
      const final = {
        type: 'result',
        processId: 'job',
        result: expect.objectContaining({
          exitCode: 0,
          attempts: [
            expect.objectContaining({ attempt: 1, exitCode: 1, delayBeforeMs: 0, error: 'exited with code 1' }),
            expect.objectContaining({ attempt: 2, exitCode: 1, delayBeforeMs: 1000 }),
            expect.objectContaining({ attempt: 3, exitCode: 0, delayBeforeMs: 2000, error: null }),
          ],
        }),
        at: 0,
        // One sequence for the whole run: the three starts are 0, 1, 2, the result 3.
        seq: 3,
      };
      // attempt 1 ends at 3, waits 1 s; attempt 2 runs 1003-1006, waits 2 s; attempt 3 runs 3006-3009.
      expectObservable(retried.events()).toBe('-a 1002ms b 2002ms c-(r|)', {
        a: attemptStart(1, 0),
        b: attemptStart(2, 1),
        c: attemptStart(3, 2),
        r: final,
      });
      expectSubscriptions(first.subscriptions).toBe('^--!');
      expectSubscriptions(second.subscriptions).toBe('1003ms ^--!');
      expectSubscriptions(third.subscriptions).toBe('3006ms ^--!');
    });
  });

  it('waits the same delay every time with fixed backoff, and stops after count retries with the last failure', () => {
    let runnable!: FakeRunnable;
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const run = cold('-(f|)', { f: failed });
      runnable = sequenceOf([run]);
      const final = { type: 'result', processId: 'job', result: expect.objectContaining({ exitCode: 1, attempts: expect.any(Array) }), at: 0, seq: 0 };
      // 1 + 2 retries, 500 ms apart: runs at 0, 501, 1002; the last result at 1003.
      expectObservable(withRetry(runnable, { count: 2, delayMs: 500 }).events()).toBe('1003ms (r|)', { r: final });
      expectSubscriptions(run.subscriptions).toBe(['^!', '501ms ^!', '1002ms ^!']);
    });
    expect(runnable.runs).toHaveLength(3);
  });

  it('caps each wait at maxDelayMs', () => {
    const options: RetryOptions = { count: 6, delayMs: 1000, backoff: 'exponential', maxDelayMs: 5000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(options, n))).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
    expect([1, 2, 3].map((n) => retryDelayMs({ count: 3, delayMs: 250 }, n))).toEqual([250, 250, 250]);
    expect(retryDelayMs({ count: 1 }, 1)).toBe(1000); // the default delay
  });

  it('uses an injected scheduler for the waits', () => {
    const scheduler = new VirtualTimeScheduler();
    const runnable = sequenceOf([from([failed]), from([ok])]);
    const seen: ProcessEvent[] = [];
    withRetry(runnable, { count: 1, delayMs: 10000, scheduler }).events().subscribe((event) => seen.push(event));
    expect(seen).toEqual([]); // waiting on the injected scheduler, not on real time
    scheduler.flush();
    expect(seen).toEqual([expect.objectContaining({ type: 'result', result: expect.objectContaining({ exitCode: 0 }) })]);
  });

  it('an abort during the wait ends the run at once with the last result, marked cancelled', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const controller = new AbortController();
      const run = cold('-s-(f|)', { s: startEvent('job'), f: failed });
      const retried = withRetry(sequenceOf([run]), { count: 3, delayMs: 10000 });
      cold('500ms a').subscribe(() => controller.abort());
      const final = {
        type: 'result',
        processId: 'job',
        result: expect.objectContaining({
          exitCode: 1,
          cancelled: true,
          reason: 'cancelled',
          error: 'exited with code 1; cancelled while waiting to start attempt 2',
          attempts: [expect.objectContaining({ attempt: 1 })],
        }),
        at: 0,
        seq: 1,
      };
      expectObservable(retried.events({ signal: controller.signal })).toBe('-a 498ms (r|)', { a: attemptStart(1, 0), r: final });
      expectSubscriptions(run.subscriptions).toBe('^--!');
    });
  });

  it('unsubscribing during the wait never starts another attempt', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const run = cold('-(f|)', { f: failed });
      const runnable = sequenceOf([run]);
      expectObservable(withRetry(runnable, { count: 3, delayMs: 1000 }).events(), '^ 500ms !').toBe('');
      expectSubscriptions(run.subscriptions).toBe('^!');
    });
  });

  it('never retries a cancelled result, whatever retryOn says', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const cancelled = result('job', { exitCode: 143, cancelled: true, reason: 'cancelled', error: 'cancelled' });
      const run = cold('-(c|)', { c: cancelled });
      const retried = withRetry(sequenceOf([run]), { count: 3, delayMs: 0, retryOn: () => true });
      expectObservable(retried.events()).toBe('-(c|)', {
        c: { ...cancelled, result: { ...(cancelled as { result: ProcessResult }).result, attempts: [expect.objectContaining({ attempt: 1 })] }, seq: 0 },
      });
      expectSubscriptions(run.subscriptions).toBe('^!');
    });
  });

  it('retries timeouts by default; retryOn can decide otherwise; spawn errors are not retried by default', () => {
    const runs = (first: ProcessEvent, options: Omit<RetryOptions, 'count'> = {}): number => {
      const runnable = sequenceOf([from([first]), from([ok])]);
      let count = 0;
      testScheduler().run(() => {
        withRetry(runnable, { count: 1, delayMs: 0, ...options }).events().subscribe();
      });
      count = runnable.runs.length;
      return count;
    };
    const timedOut = result('job', { exitCode: -1, timedOut: true, reason: 'timeout', error: 'timed out' });
    const notFound = result('job', { exitCode: 127, reason: 'spawn-error', error: 'command not found: x' });
    expect(runs(timedOut)).toBe(2);
    expect(runs(timedOut, { retryOn: (r) => !r.timedOut })).toBe(1);
    expect(runs(notFound)).toBe(1);
    expect(runs(notFound, { retryOn: () => true })).toBe(2);
    expect(runs(ok)).toBe(1);
  });

  it('passes an error of the stream on without retrying it', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const run = cold<ProcessEvent>('-#', undefined, new Error('broken'));
      expectObservable(withRetry(sequenceOf([run]), { count: 3, delayMs: 0 }).events()).toBe('-#', {}, new Error('broken'));
      expectSubscriptions(run.subscriptions).toBe('^!');
    });
  });

  it('retrying() wraps every Runnable for any strategy', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const a = sequenceOf([cold('-(f|)', { f: failed }), cold('-(r|)', { r: ok })]);
      const results = from([a]).pipe(retrying({ count: 1, delayMs: 2 }), parallel({ maxWorkers: 1 }), toResults(), map((r) => attemptsOf(r)?.map((x) => x.exitCode)));
      expectObservable(results).toBe('----(x|)', { x: [1, 0] });
    });
  });
});

describe('retry and mirrorOutput', () => {
  it("ends an attempt's unfinished last line when the next attempt starts", () => {
    const written: string[] = [];
    const target = { stdout: { write: (text: string) => written.push(text) }, stderr: { write: (text: string) => written.push(`err:${text}`) } };
    const runs = [
      from([startEvent('job'), { type: 'output', processId: 'job', stream: 'stdout', chunk: 'half a line', at: 0 } as ProcessEvent, failed]),
      from([startEvent('job'), { type: 'output', processId: 'job', stream: 'stdout', chunk: 'whole\n', at: 0 } as ProcessEvent, ok]),
    ];
    const scheduler = new VirtualTimeScheduler();
    withRetry(sequenceOf(runs), { count: 1, delayMs: 0, scheduler }).events().pipe(mirrorOutput(target)).subscribe();
    scheduler.flush();
    expect(written).toEqual(['[job] half a line\n', '[job] whole\n']);
  });
});

describe('retry options', () => {
  it.each<[string, unknown, RegExp]>([
    ['a missing count', {}, /retry\.count must be a non-negative integer, received undefined/],
    ['a negative count', { count: -1 }, /retry\.count must be a non-negative integer, received -1 \(number\)/],
    ['a fractional count', { count: 1.5 }, /retry\.count .* 1\.5/],
    ['a count as text', { count: '2' }, /retry\.count .* "2" \(string\)/],
    ['a negative delay', { count: 1, delayMs: -1000 }, /retry\.delayMs must be a finite number of milliseconds, 0 or more, received -1000/],
    ['the old name delay (seconds)', { count: 1, delay: 1 }, /retry\.delay must be absent: it was renamed delayMs \(milliseconds\), received 1/],
    ['an unknown backoff', { count: 1, backoff: 'linear' }, /retry\.backoff must be 'fixed' or 'exponential', received "linear"/],
    ['a negative maxDelayMs', { count: 1, maxDelayMs: -2000 }, /retry\.maxDelayMs must be a number of milliseconds, 0 or more \(Infinity: no cap\), received -2000/],
    ['a retryOn that is not a function', { count: 1, retryOn: true }, /retry\.retryOn must be a function/],
    ['a scheduler that is not one', { count: 1, scheduler: {} }, /retry\.scheduler must be an RxJS scheduler/],
    ['not an object', 3, /retry must be an object/],
  ])('%s is a TypeError naming the value', (_, value, message) => {
    expect(() => checkRetryOptions('retry', value)).toThrow(TypeError);
    expect(() => checkRetryOptions('retry', value)).toThrow(message);
  });

  it('is checked by CommandProcess, sessions, withRetry and retrying before anything runs', () => {
    const dir = temp.make();
    const bad = { count: -1 } as RetryOptions;
    expect(() => new CommandProcess({ command: 'true', retry: bad })).toThrow(/retry\.count/);
    expect(() => new OrchestratorSession({ patternName: 'p', workingDir: dir, retry: bad })).toThrow(/retry\.count/);
    expect(() => withRetry(new FakeRunnable('x', () => from([ok])), bad)).toThrow(/retry\.count/);
    expect(() => retrying(bad)).toThrow(/retry\.count/);
    expect(existsSync(join(dir, '.claude'))).toBe(false);
  });
});

/** `sh` that counts its runs in `file` and fails until run number `succeedAt`. */
function flaky(dir: string, succeedAt: number, retry: RetryOptions, extra: object = {}): CommandProcess {
  const script = 'n=$(cat "$1" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$1"; echo "try $n"; [ $n -ge "$2" ] || { echo "not yet" >&2; exit 3; }';
  return new CommandProcess({ command: 'sh', args: ['-c', script, 'sh', join(dir, 'count'), String(succeedAt)], processId: 'flaky', retry, ...extra });
}

describe('retry (real processes)', () => {
  it('runs a flaky program again until it succeeds; every attempt is seen live, one result records them all', async () => {
    const dir = temp.make();
    const events = await collect(flaky(dir, 3, { count: 5, delayMs: 50, backoff: 'exponential' }).events());
    const starts = events.filter((e): e is StartEvent => e.type === 'start');
    expect(starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(new Set(starts.map((s) => s.pid)).size).toBe(3);
    const stdout = events.map((e) => (e.type === 'output' && e.stream === 'stdout' ? e.chunk : '')).join('');
    expect(stdout).toBe('try 1\ntry 2\ntry 3\n');
    expect(events.filter((e) => e.type === 'result')).toHaveLength(1);
    const final = resultOf(events);
    expect(final).toMatchObject({ exitCode: 0, output: 'try 3\n', error: null });
    expect(attemptsOf(final)?.map((a) => [a.attempt, a.exitCode, a.reason, a.delayBeforeMs / 1000])).toEqual([
      [1, 3, 'exit', 0],
      [2, 3, 'exit', 0.05],
      [3, 0, 'exit', 0.1],
    ]);
    expect(attemptsOf(final)?.[0].error).toBe('exited with code 3: not yet');
    expect(attemptsOf(final)?.map((a) => a.pid)).toEqual(starts.map((s) => s.pid));
  });

  it('gives up after count retries with the last failure', async () => {
    const dir = temp.make();
    const final = await flaky(dir, 10, { count: 2, delayMs: 0 }).run();
    expect(final).toMatchObject({ exitCode: 3, error: 'exited with code 3: not yet', output: 'try 3\n' });
    expect(attemptsOf(final)).toHaveLength(3);
    expect(readFileSync(join(dir, 'count'), 'utf8')).toBe('3\n');
  });

  it('retries a timed-out run by default, and every attempt is stopped', async () => {
    const run = startRun(new CommandProcess({ command: 'sleep', args: ['30'], timeout: 0.3, killGraceMs: 1000, retry: { count: 1, delayMs: 0 } }).events());
    const final = await run.result;
    expect(final).toMatchObject({ exitCode: -1, timedOut: true, reason: 'timeout' });
    expect(attemptsOf(final)?.map((a) => [a.reason, a.timedOut])).toEqual([
      ['timeout', true],
      ['timeout', true],
    ]);
    const pids = run.events.filter((e): e is StartEvent => e.type === 'start').map((e) => e.pid);
    expect(pids).toHaveLength(2);
    expect(pids.every(isDead)).toBe(true);
  });

  it('an abort while an attempt runs stops it and is never retried', async () => {
    const controller = new AbortController();
    const run = startRun(new CommandProcess({ command: 'sleep', args: ['30'], retry: { count: 3, delayMs: 0 } }).events({ signal: controller.signal }));
    await waitFor(() => run.events.some((e) => e.type === 'start'), 'the first attempt started');
    controller.abort();
    const final = await run.result;
    expect(final).toMatchObject({ cancelled: true, reason: 'cancelled' });
    expect(attemptsOf(final)).toHaveLength(1);
    expect(run.events.filter((e) => e.type === 'start')).toHaveLength(1);
    expect(isDead((run.events[0] as StartEvent).pid)).toBe(true);
  });

  it('an abort during the wait before a retry ends the run without waiting the delay out', async () => {
    const controller = new AbortController();
    const started = Date.now();
    // The inner run's own result (which withRetry holds back) tells when the wait has begun.
    const attemptEnded: ProcessResult[] = [];
    const proc = new CommandProcess({ command: 'false', processId: 'false' });
    const watched = { processId: 'false', events: (o?: RunOptions) => proc.events(o).pipe(tap((e) => e.type === 'result' && attemptEnded.push(e.result))) };
    const run = startRun(withRetry(watched, { count: 3, delayMs: 600000 }).events({ signal: controller.signal }));
    await waitFor(() => attemptEnded.length === 1, 'the first attempt ended');
    controller.abort();
    const final = await run.result;
    expect(final).toMatchObject({ exitCode: 1, cancelled: true, reason: 'cancelled' });
    expect(final.error).toMatch(/cancelled while waiting to start attempt 2/);
    expect(Date.now() - started).toBeLessThan(60_000); // far less than the 600 s wait
  });

  it('does not retry a command that cannot be found', async () => {
    const final = await new CommandProcess({ command: 'rxo-no-such-command', retry: { count: 3, delayMs: 0 } }).run();
    expect(final).toMatchObject({ exitCode: 127, reason: 'spawn-error' });
    expect(attemptsOf(final)).toHaveLength(1);
  });

  it('keeps every attempt in the one log of the process, and in summary.json', async () => {
    const dir = temp.make();
    const session = new OrchestratorSession({ patternName: 'retry', workingDir: dir, retry: { count: 3, delayMs: 10 } });
    const script = 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; printf "try %s" $n; [ $n -ge 3 ]';
    const proc = session.createCommand('sh', ['-c', script], 'flaky');
    const results = await lastValueFrom(from([proc]).pipe(parallel(), toResults(), toArray()));
    await session.writeSummary(results);
    await session.close();
    const logs = readdirSync(session.sessionDir).filter((name) => name.endsWith('.log')).sort();
    expect(logs).toEqual(['flaky.log', 'session.log']);
    const log = readFileSync(join(session.sessionDir, 'flaky.log'), 'utf8');
    // Unfinished lines of one attempt end at the next attempt's start; the end lists each attempt.
    const lines = log.split('\n').map((line) => line.replace(/^\S+ \S+\s+/, ''));
    const started = lines.filter((line) => /started, pid|^stdout \|/.test(line)).map((line) => line.replace(/pid \d+/, 'pid N'));
    expect(started).toEqual([
      'started, pid N (attempt 1)',
      'stdout | try 1',
      'retrying: attempt 2 started, pid N',
      'stdout | try 2',
      'retrying: attempt 3 started, pid N',
      'stdout | try 3',
    ]);
    expect(lines.filter((line) => line.startsWith('attempt '))).toEqual([
      expect.stringMatching(/^attempt 1: failed \(exit\), exit code 1, \d+\.\d{3} s: exited with code 1$/),
      expect.stringMatching(/^attempt 2 after waiting 0\.01 s: failed \(exit\), exit code 1/),
      expect.stringMatching(/^attempt 3 after waiting 0\.01 s: succeeded, exit code 0/),
    ]);
    expect(log).toMatch(/ended: succeeded \(exit\), exit code 0, \d+\.\d{3} s, after 3 attempts/);
    const summary = JSON.parse(readFileSync(join(session.sessionDir, 'summary.json'), 'utf8')) as { results: ProcessResult[] };
    expect(attemptsOf(summary.results[0])?.map((a) => a.exitCode)).toEqual([1, 1, 0]);
  });

  it('redacts secrets from every attempt in summary.json', async () => {
    const dir = temp.make();
    const secret = 'sk-ant-retry-secret-0123456789';
    const session = new OrchestratorSession({ patternName: 'retry-secret', workingDir: dir, retry: { count: 1, delayMs: 0 } });
    const proc = session.createCommand('sh', ['-c', 'echo "$ANTHROPIC_API_KEY" >&2; exit 1'], 'leaky', { env: { ANTHROPIC_API_KEY: secret } });
    const final = await proc.run();
    // `error` is redacted of the child's environment secrets before its 300-character cut (issue 10),
    // in memory too; stderr keeps what the child wrote.
    expect(attemptsOf(final)?.[0].error).not.toContain(secret);
    expect(final.stderr).toContain(secret); // the library keeps output in memory as written...
    const path = await session.writeSummary([final]);
    await session.close();
    const text = readFileSync(path, 'utf8') + readFileSync(join(session.sessionDir, 'leaky.log'), 'utf8');
    expect(text).not.toContain(secret); // ...but no file does
    expect(text).toContain('[REDACTED]');
  });

  it('is applied to ClaudeProcess runs as well', async () => {
    const dir = temp.make();
    // A "claude" that fails on its first run: the retry option is a BaseProcessOptions field.
    const script = join(dir, 'claude');
    writeFileSync(script, `#!/bin/sh\nn=$(cat "${dir}/n" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${dir}/n"; echo "answer $n"; [ $n -ge 2 ]\n`, { mode: 0o755 });
    const final = await new ClaudeProcess({ prompt: 'hi', command: script, retry: { count: 2, delayMs: 0 } }).run();
    expect(final).toMatchObject({ exitCode: 0, output: 'answer 2\n' });
    expect(attemptsOf(final)?.map((a) => a.exitCode)).toEqual([1, 0]);
  });
});
