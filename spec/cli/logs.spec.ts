/**
 * Where a run leaves its logs: `<working-dir>/.claude/runtime/logs/<session>/` with session.log,
 * one .log per process and summary.json; `--log-dir D` puts the session directory under D.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirs } from '../helpers';
import { logRoot, onlySessionDir, printedLogDir, readSummary, runCli } from './helpers';

const temp = tempDirs('orchestrate-');

afterAll(() => temp.cleanup());

describe('logs', () => {
  it('go to <working-dir>/.claude/runtime/logs/<session>/: session.log, one log per process, summary.json', async () => {
    const cwd = temp.make('logs-cwd');
    const dir = temp.make('logs-work');
    const outcome = await runCli(['parallel', '--exec', 'echo first-output', 'sh -c "echo err-output >&2; exit 3"', '--working-dir', dir], {
      cwd,
    });
    expect(outcome.code).toBe(1);
    // --working-dir, not the CLI's cwd, decides where logs go (and where commands run).
    expect(existsSync(join(cwd, '.claude'))).toBe(false);
    const session = onlySessionDir(logRoot(dir));
    expect(session.split('/').pop()).toMatch(/^cli-parallel_/);
    expect(printedLogDir(outcome.stdout)).toBe(session);
    expect(outcome.stdout).toContain(`Summary: ${join(session, 'summary.json')}`);
    expect(readdirSync(session).sort()).toEqual(['joblog.tsv', 'plan.json', 'process_001.log', 'process_002.log', 'processes.tsv', 'session.log', 'summary.json']);
    expect(statSync(join(session, 'summary.json')).mode & 0o777).toBe(0o600);

    expect(readFileSync(join(session, 'process_001.log'), 'utf8')).toContain('first-output');
    expect(readFileSync(join(session, 'process_002.log'), 'utf8')).toContain('err-output');
    const sessionLog = readFileSync(join(session, 'session.log'), 'utf8');
    expect(sessionLog).toMatch(/process_001: exit code 0/);
    expect(sessionLog).toMatch(/process_002: exit code 3/);
    expect(sessionLog).toMatch(/exit: failure/);

    const summary = readSummary(session);
    expect(summary).toMatchObject({
      patternName: 'cli-parallel',
      cwd: dir,
      sessionDir: session,
      counts: { total: 2, succeeded: 1, failed: 1, timedOut: 0, cancelled: 0 },
      details: { command: 'parallel', items: 2, exec: true, interruptedBy: null },
    });
    const byId = new Map(summary.results.map((result) => [result.processId, result]));
    expect(byId.get('process_001')).toMatchObject({ exitCode: 0, output: 'first-output\n' });
    expect(byId.get('process_002')).toMatchObject({ exitCode: 3, stderr: 'err-output\n' });
  });

  it('each run gets its own session directory', async () => {
    const dir = temp.make('logs-two');
    const first = await runCli(['run', '--exec', 'echo one', '--working-dir', dir], { cwd: dir });
    const second = await runCli(['run', '--exec', 'echo two', '--working-dir', dir], { cwd: dir });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(printedLogDir(first.stdout)).not.toBe(printedLogDir(second.stdout));
    expect(readdirSync(logRoot(dir)).filter((name) => name !== '.gitignore')).toHaveLength(2);
  });

  it('--log-dir D puts the session directory under D', async () => {
    const dir = temp.make('logs-work');
    const root = join(temp.make('logs-root'), 'nested', 'logs');
    const outcome = await runCli(['sequential', '--exec', 'echo a', 'echo b', '--working-dir', dir, '--log-dir', root], { cwd: dir });
    expect(outcome.code).toBe(0);
    expect(existsSync(join(dir, '.claude'))).toBe(false);
    const session = onlySessionDir(root);
    expect(printedLogDir(outcome.stdout)).toBe(session);
    expect(readdirSync(session).sort()).toEqual(['joblog.tsv', 'plan.json', 'process_001.log', 'process_002.log', 'processes.tsv', 'session.log', 'summary.json']);
    expect(readSummary(session).results.map((result) => result.processId)).toEqual(['process_001', 'process_002']);
  });

  it('with --json the Logs and Summary notes go to stderr, and the logs are the same', async () => {
    const dir = temp.make('logs-json');
    const outcome = await runCli(['run', '--json', '--exec', 'echo hi', '--working-dir', dir], { cwd: dir });
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).not.toContain('Logs:');
    const session = onlySessionDir(logRoot(dir));
    expect(printedLogDir(outcome.stderr)).toBe(session);
    expect(readSummary(session).results).toEqual([expect.objectContaining({ processId: 'process_001', output: 'hi\n' })]);
  });
});
