/**
 * The CLI's --retries / --retry-delay / --retry-backoff / --retry-max-delay, --halt and
 * --max-workers auto, run for real with --exec: what runs, what never runs, the exit code, the
 * logs and the summary; bad values are usage errors (exit 2) that run nothing. The CLI runs in
 * this process (`cli(argv, io)`); the commands it starts are real processes.
 */
import { attemptsOf } from '../../src/operators/retried-result';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessEvent, ResultEvent } from '../../src/process/types';
import { resultsById } from '../../src/strategies/results';
import { isDead } from '../helpers';
import { cliSpecDir, printedLogDir, summaryOf, tableRows, type CliOutcome } from './helpers';

const spec = cliSpecDir('retry-halt', { inProcess: true });
const { cli, touch } = spec;

/** A command line that fails until its run number `n` (counted in a file of the temp dir). */
function flaky(n: number): string {
  return `sh -c 'c=$(cat count 2>/dev/null || echo 0); c=$((c+1)); echo $c > count; echo "try $c"; [ $c -ge ${n} ]'`;
}

function events(outcome: CliOutcome): ProcessEvent[] {
  return outcome.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ProcessEvent);
}

function results(outcome: CliOutcome) {
  return resultsById(events(outcome).filter((e): e is ResultEvent => e.type === 'result').map((e) => e.result));
}

describe('--retries', () => {
  it('runs a failing command again until it succeeds; exit 0; the table, the log and the summary show the attempts', async () => {
    const outcome = await cli('run', '--exec', '--retries', '3', '--retry-delay', '0.05', '--retry-backoff', 'exponential', flaky(3));
    expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
    expect(outcome.stdout).toMatch(/\[process_001\] try 1\n\[process_001\] retrying: attempt 2\n\[process_001\] try 2\n\[process_001\] retrying: attempt 3\n\[process_001\] try 3\n/);
    expect(outcome.stdout).toMatch(/\[process_001\] done \(\d+\.\d s, attempt 3\)/);
    expect(tableRows(outcome.stdout)).toEqual([expect.objectContaining({ id: 'process_001', exit: 0, status: 'ok' })]);
    const summary = summaryOf(outcome);
    expect(attemptsOf(summary.results[0])?.map((a) => [a.exitCode, a.delayBeforeMs / 1000])).toEqual([
      [1, 0],
      [1, 0.05],
      [0, 0.1],
    ]);
    const log = readFileSync(join(printedLogDir(outcome.stdout), 'process_001.log'), 'utf8');
    expect(log).toMatch(/retrying: attempt 3 started, pid \d+/);
    expect(log).toMatch(/attempt 2 after waiting 0\.05 s: failed \(exit\), exit code 1/);
  });

  it('exits 1 when every attempt failed; --retry-max-delay caps the waits', async () => {
    const outcome = await cli('parallel', '--exec', '--json', '--retries', '2', '--retry-delay', '0.05', '--retry-backoff', 'exponential', '--retry-max-delay', '0.06', flaky(10));
    expect(outcome.code).toBe(1);
    const result = results(outcome).get('process_001');
    expect((result && attemptsOf(result))?.map((a) => a.delayBeforeMs)).toEqual([0, 50, 60]);
    expect(readFileSync(join(spec.dir, 'count'), 'utf8')).toBe('3\n');
  });

  it.each<[string[], RegExp]>([
    [['--retries', '-1'], /--retries must be a whole number, 0 or more, received -1/],
    [['--retries', 'x'], /--retries must be a number, received "x"/],
    [['--retries', '1', '--retry-delay', '-2'], /--retry-delay must be a number of seconds, 0 or more, received -2/],
    [['--retries', '1', '--retry-backoff', 'linear'], /Invalid values:\s+Argument: retry-backoff, Given: "linear", Choices: "fixed", "exponential"/],
  ])('%j is a usage error that runs nothing', async (flags, message) => {
    const outcome = await cli('run', '--exec', ...flags, touch('ran'));
    expect({ code: outcome.code, stdout: outcome.stdout }).toEqual({ code: 2, stdout: '' });
    expect(outcome.stderr).toMatch(message);
    expect(existsSync(join(spec.dir, 'ran'))).toBe(false);
  });
});

describe('--halt', () => {
  it('now,fail=1 stops the running command, never starts the queued ones, and exits 1', async () => {
    const outcome = await cli('parallel', '--exec', '--json', '--max-workers', '2', '--halt', 'now,fail=1', 'false', 'sleep 30', touch('ran-1'), touch('ran-2'));
    expect(outcome.code).toBe(1);
    const byId = results(outcome);
    expect(byId.get('process_001')).toMatchObject({ exitCode: 1, reason: 'exit' });
    expect(byId.get('process_002')).toMatchObject({ halted: true, reason: 'cancelled' });
    expect(byId.get('process_003')).toMatchObject({ halted: true, reason: 'not-started' });
    expect(byId.get('process_004')).toMatchObject({ halted: true, reason: 'not-started' });
    expect(existsSync(join(spec.dir, 'ran-1')) || existsSync(join(spec.dir, 'ran-2'))).toBe(false);
    const pids = events(outcome).flatMap((e) => (e.type === 'start' ? [e.pid] : []));
    expect(pids).toHaveLength(2);
    expect(pids.every(isDead)).toBe(true);
    expect(outcome.elapsedMs).toBeLessThan(25_000); // the sleeper did not run its 30 s
  });

  it('soon,fail=1 lets the running command finish; the table says which were not started', async () => {
    const outcome = await cli('parallel', '--exec', '--max-workers', '2', '--halt', 'soon,fail=1', 'false', `sh -c 'sleep 0.3; echo finished'`, touch('ran'));
    expect(outcome.code).toBe(1);
    expect(tableRows(outcome.stdout).map((row) => [row.id, row.status])).toEqual(
      expect.arrayContaining([
        ['process_001', 'failed: exited with code 1'],
        ['process_002', 'ok'],
        ['process_003', 'not started (halted)'],
      ]),
    );
    expect(existsSync(join(spec.dir, 'ran'))).toBe(false);
  });

  it('now,success=1 exits 0 once one command succeeded (GNU parallel semantics)', async () => {
    const outcome = await cli('parallel', '--exec', '--json', '--max-workers', '2', '--halt', 'now,success=1', 'sleep 30', 'true', touch('ran'));
    expect(outcome.code).toBe(0);
    const byId = results(outcome);
    expect(byId.get('process_001')).toMatchObject({ halted: true });
    expect(byId.get('process_002')).toMatchObject({ exitCode: 0 });
    expect(existsSync(join(spec.dir, 'ran'))).toBe(false);
  });

  it('works with batched: later batches never start', async () => {
    const outcome = await cli('batched', '--exec', '--json', '--batch-size', '2', '--halt', '2', 'false', 'true', touch('ran-1'), touch('ran-2'));
    expect(outcome.code).toBe(1);
    const byId = results(outcome);
    expect(byId.get('process_001')).toMatchObject({ exitCode: 1, reason: 'exit' });
    // `true` ends at about the moment `false` does: halted now, it ended on its own or was stopped.
    expect(['exit', 'cancelled']).toContain(byId.get('process_002')?.reason);
    expect([byId.get('process_003'), byId.get('process_004')]).toEqual([
      expect.objectContaining({ halted: true, reason: 'not-started' }),
      expect.objectContaining({ halted: true, reason: 'not-started' }),
    ]);
    expect(existsSync(join(spec.dir, 'ran-1')) || existsSync(join(spec.dir, 'ran-2'))).toBe(false);
  });

  it('never runs everything', async () => {
    const outcome = await cli('parallel', '--exec', '--halt', 'never', 'false', touch('ran'));
    expect(outcome.code).toBe(1);
    expect(existsSync(join(spec.dir, 'ran'))).toBe(true);
  });

  it.each<[string[], RegExp]>([
    [['parallel', '--halt', 'bogus'], /halt must be never, or now\|soon,fail\|success\|done=N or P% .*received "bogus"/],
    [['parallel', '--halt', 'soon,fail=120%'], /received "soon,fail=120%"/],
    [['sequential', '--halt', 'now,fail=1'], /--halt applies to parallel and batched, not sequential/],
  ])('%j is a usage error that runs nothing', async (flags, message) => {
    const outcome = await cli(...flags, '--exec', touch('ran'));
    expect({ code: outcome.code, stdout: outcome.stdout }).toEqual({ code: 2, stdout: '' });
    expect(outcome.stderr).toMatch(message);
    expect(existsSync(join(spec.dir, 'ran'))).toBe(false);
  });
});

describe('--max-workers auto', () => {
  it('prints what auto resolved to and runs with it', async () => {
    const outcome = await cli('parallel', '--exec', '--max-workers', 'auto', 'true', 'true');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^--max-workers auto: \d+ \(\d+ cores \+ 4 = \d+; \d+\.\d GiB free \/ 512 MiB per process = \d+; limited by (cores|memory)\)$/m);
    expect(tableRows(outcome.stdout)).toHaveLength(2);
  });

  it('goes to stderr with --json, so stdout stays pure JSON', async () => {
    const outcome = await cli('batched', '--exec', '--json', '--max-workers', 'auto', 'true');
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toMatch(/^--max-workers auto: \d+/m);
    expect(events(outcome).length).toBeGreaterThan(0);
  });

  it('other words are a usage error naming auto', async () => {
    const outcome = await cli('parallel', '--exec', '--max-workers', 'many', touch('ran'));
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/--max-workers must be a number, received "many"; use a positive integer or auto/);
    expect(existsSync(join(spec.dir, 'ran'))).toBe(false);
  });
});
