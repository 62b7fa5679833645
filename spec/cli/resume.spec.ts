/**
 * The CLI's job log, `orchestrate resume <session>` and `--resume-failed <session>`, and the
 * resource-limit flags, through the CLI run in this process (`cli(argv, io)`) with real processes.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fixture, tempDirs } from '../helpers';
import { destroyRunning, logRoot, printedLogDir, readSummary, runCliInProcess, tableRows } from './helpers';

const temp = tempDirs('orchestrate-resume-');
afterEach(destroyRunning);
afterAll(() => temp.cleanup());

/** The job log's lines after the header, split into fields. */
function jobLines(sessionDir: string): string[][] {
  const [header, ...lines] = readFileSync(join(sessionDir, 'joblog.tsv'), 'utf8').trimEnd().split('\n');
  expect(header).toBe('id\tstart\tduration\texit_code\tsignal\tattempts\treason\tcommand');
  return lines.map((line) => line.split('\t'));
}

/** A command line that fails until `flag` exists. */
const untilFlag = (flag: string): string => `sh -c 'test -e "$0"' '${flag}'`;

describe('job log and resume (CLI)', () => {
  it('resume reruns exactly what failed or never ran (a sequential chain stopped at a failure), in a new session', async () => {
    const dir = temp.make('chain');
    const flag = join(dir, 'flag');
    const first = await runCliInProcess(['sequential', '--stop-on-failure', '--exec', 'echo one', untilFlag(flag), 'echo three', 'echo four', '--working-dir', dir], { cwd: dir });
    expect(first.code).toBe(1);
    const firstDir = printedLogDir(first.stdout);
    expect(statSync(join(firstDir, 'joblog.tsv')).mode & 0o777).toBe(0o600);
    expect(statSync(join(firstDir, 'plan.json')).mode & 0o777).toBe(0o600);
    expect(jobLines(firstDir).map((f) => [f[0], f[3], f[6], f[7]])).toEqual([
      ['process_001', '0', 'exit', 'echo one'],
      ['process_002', '1', 'exit', `sh -c 'test -e "$0"' ${flag}`],
    ]);

    writeFileSync(flag, '');
    // By session id, looked up under the working directory's logs.
    const second = await runCliInProcess(['resume', basename(firstDir), '--yes', '--working-dir', dir], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Resuming ${firstDir}: 3 process(es) to run`);
    const secondDir = printedLogDir(second.stdout);
    expect(secondDir).not.toBe(firstDir);
    expect(basename(secondDir)).toMatch(/^cli-sequential_/);
    expect(tableRows(second.stdout).map((row) => [row.id, row.exit])).toEqual([
      ['process_002', 0],
      ['process_003', 0],
      ['process_004', 0],
    ]);
    expect(jobLines(secondDir).map((f) => [f[0], f[3], f[7]])).toEqual([
      ['process_002', '0', `sh -c 'test -e "$0"' ${flag}`],
      ['process_003', '0', 'echo three'],
      ['process_004', '0', 'echo four'],
    ]);
    expect(readSummary(secondDir).details).toMatchObject({ resumedFrom: firstDir });

    // Nothing left: resuming the new session (by directory) runs nothing and succeeds.
    const third = await runCliInProcess(['resume', secondDir, '--yes'], { cwd: dir });
    expect(third.code).toBe(0);
    expect(third.stdout).toContain(`Nothing to resume: every planned process of ${secondDir} succeeded.`);
    expect(existsSync(logRoot(dir))).toBe(true);
  });

  it('--resume-failed runs the same list minus what succeeded, across a chain of sessions', async () => {
    const dir = temp.make('failed');
    const flag = join(dir, 'flag');
    const list = ['--exec', 'echo a', untilFlag(flag), 'false', '--working-dir', dir, '--quiet'];
    const first = await runCliInProcess(['parallel', ...list], { cwd: dir });
    expect(first.code).toBe(1);
    writeFileSync(flag, '');
    const second = await runCliInProcess(['parallel', ...list, '--resume-failed', printedLogDir(first.stdout)], { cwd: dir });
    expect(second.code).toBe(1);
    expect(tableRows(second.stdout).map((row) => [row.id, row.exit]).sort()).toEqual([
      ['process_002', 0],
      ['process_003', 1],
    ]);
    // Against the second session, only `false` is left: process_001 succeeded two sessions back.
    const third = await runCliInProcess(['parallel', ...list, '--resume-failed', basename(printedLogDir(second.stdout))], { cwd: dir });
    expect(tableRows(third.stdout).map((row) => row.id)).toEqual(['process_003']);
    expect(jobLines(printedLogDir(third.stdout)).map((f) => f[0])).toEqual(['process_003']);
  });

  it('a session that cannot be resumed is a usage error naming it', async () => {
    const dir = temp.make('bad');
    const missing = await runCliInProcess(['resume', 'no-such-session', '--working-dir', dir], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`orchestrate: cannot resume ${join(logRoot(dir), 'no-such-session')}: no such directory`);
  });
});

describe('resource limit flags (CLI)', () => {
  it('--memory-limit, --cpu-limit and --nice reach every process', async () => {
    const dir = temp.make('limits');
    const outcome = await runCliInProcess(
      ['parallel', '--exec', `'${process.execPath}' '${fixture('report-limits.js')}'`, '--memory-limit', '256', '--cpu-limit', '20', '--nice', '4', '--working-dir', dir],
      { cwd: dir },
    );
    expect(outcome.code).toBe(0);
    const line = outcome.stdout.split('\n').find((text) => text.startsWith('[process_001]') && text.includes('{'))!;
    expect(JSON.parse(line.slice(line.indexOf('{')))).toEqual({
      nice: 4,
      data: { soft: String(256 * 1024 * 1024), hard: String(256 * 1024 * 1024) },
      cpu: { soft: '20', hard: '21' },
    });
  });

  it('a process over --cpu-limit fails with a status that says so, and the footer counts it', async () => {
    const dir = temp.make('cpu');
    const outcome = await runCliInProcess(['run', '--exec', `'${process.execPath}' '${fixture('burn-cpu.js')}'`, '--cpu-limit', '1', '--timeout', '120', '--working-dir', dir], { cwd: dir });
    expect(outcome.code).toBe(1);
    expect(tableRows(outcome.stdout)).toEqual([
      expect.objectContaining({ id: 'process_001', exit: 152, status: 'failed: exceeded its CPU time limit of 1 s (killed by signal SIGXCPU)' }),
    ]);
    expect(outcome.stdout).toMatch(/^1 process: 0 succeeded, 1 failed \(1 over a limit\); wall \d+\.\d{2} s, process time \d+\.\d{2} s$/m);
    expect(readSummary(printedLogDir(outcome.stdout)).results[0]).toMatchObject({ limitExceeded: 'cpu' });
  }, 150_000);

  it.each([
    [['--nice', '30'], 'orchestrate: limits.nice must be an integer from -20 to 19, received 30 (number)'],
    [['--cpu-limit', '0.5'], 'orchestrate: limits.cpuSeconds must be a positive whole number of seconds, received 0.5 (number)'],
    [['--memory-limit', 'lots'], 'orchestrate: --memory-limit must be a number, received "lots"'],
  ])('rejects %j as a usage error', async (flags, message) => {
    const dir = temp.make('usage');
    const outcome = await runCliInProcess(['run', '--exec', 'true', ...flags, '--working-dir', dir], { cwd: dir });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(message);
  });
});
