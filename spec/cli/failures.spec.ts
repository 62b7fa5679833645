/**
 * Runs that fail for reasons other than a non-zero exit: a timeout, a missing binary, a missing
 * Claude executable, the simulated agent's failure modes. Each exits 1 with a clear status. The
 * CLI runs in this process (`cli(argv, io)`); the commands it starts are real processes.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, tempDirs } from '../helpers';
import { AGENT, destroyRunning, runCli, runCliInProcess, summaryOf, tableRows, type CliOutcome } from './helpers';

const temp = tempDirs('orchestrate-');

let dir: string;

beforeEach(() => {
  dir = temp.make('failures');
});

afterEach(destroyRunning);
afterAll(() => temp.cleanup());

function cli(args: string[]): Promise<CliOutcome> {
  return runCliInProcess([...args, '--working-dir', dir]);
}

describe('--timeout', () => {
  it('stops a process that runs too long: exit 1, status "timed out", well under its own 30 s', async () => {
    const outcome = await cli(['run', '--timeout', '1', '--exec', 'sleep 30']);
    expect(outcome.code).toBe(1);
    expect(outcome.elapsedMs).toBeLessThan(15000);
    const rows = tableRows(outcome.stdout);
    expect(rows).toEqual([expect.objectContaining({ id: 'process_001', exit: -1, status: 'timed out' })]);
    expect(outcome.stdout).toMatch(/^\[process_001\] failed: timed out after 1 s/m);
    const [result] = summaryOf(outcome).results;
    expect(result).toMatchObject({ exitCode: -1, timedOut: true, reason: 'timeout' });
    expect(result.duration).toBeGreaterThanOrEqual(0.9);
    expect(result.duration).toBeLessThan(10);
    expect(isAlive(result.pid as number)).toBe(false);
  });

  it('applies to each process; the ones that finish in time succeed', async () => {
    const outcome = await cli(['parallel', '--timeout', '1', '--exec', 'echo quick', 'sleep 30']);
    expect(outcome.code).toBe(1);
    expect(tableRows(outcome.stdout).map((row) => [row.id, row.status])).toEqual(
      expect.arrayContaining([
        ['process_001', 'ok'],
        ['process_002', 'timed out'],
      ]),
    );
  });
});

describe('a command that cannot run', () => {
  it('a missing binary: exit 1, status says command not found', async () => {
    const outcome = await cli(['run', '--exec', 'nope-binary-xyz --flag']);
    expect(outcome.code).toBe(1);
    const [row] = tableRows(outcome.stdout);
    expect(row).toMatchObject({ id: 'process_001', exit: 127 });
    expect(row.status).toMatch(/^failed: command not found: nope-binary-xyz/);
    expect(summaryOf(outcome).results[0]).toMatchObject({ exitCode: 127, pid: null, reason: 'spawn-error' });
  });

  it('a missing binary in the middle of a parallel run fails only that process', async () => {
    const outcome = await cli(['parallel', '--exec', 'echo fine', 'nope-binary-xyz']);
    expect(outcome.code).toBe(1);
    expect(tableRows(outcome.stdout).map((row) => [row.id, row.exit])).toEqual(
      expect.arrayContaining([
        ['process_001', 0],
        ['process_002', 127],
      ]),
    );
  });

  it('a file that is not executable: exit 1, status says so', async () => {
    const script = join(dir, 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\necho never\n');
    chmodSync(script, 0o644);
    const outcome = await cli(['run', '--exec', script]);
    expect(outcome.code).toBe(1);
    expect(tableRows(outcome.stdout)[0]).toMatchObject({ exit: 126, status: expect.stringMatching(/not executable/) });
  });
});

describe('prompts without a usable Claude executable', () => {
  it('--command naming a missing file: exit 1, command not found', async () => {
    const outcome = await cli(['run', 'Hello.', '--command', join(dir, 'no-such-agent')]);
    expect(outcome.code).toBe(1);
    const [row] = tableRows(outcome.stdout);
    expect(row.status).toMatch(/^failed: command not found: .*no-such-agent/);
  });

  it('no --command and no `claude` on PATH: exit 1, command not found: claude', async () => {
    const emptyBin = temp.make('empty-path');
    // Spawned: `claude` is looked up on the CLI process's own PATH, which only a child can change.
    const outcome = await runCli(['parallel', 'Hello.', 'Bye.', '--working-dir', dir], { cwd: dir, env: { PATH: emptyBin } });
    expect(outcome.code).toBe(1);
    const rows = tableRows(outcome.stdout);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.exit).toBe(127);
      expect(row.status).toMatch(/^failed: command not found: claude \(searched PATH\)$/);
    }
  });
});

describe('failures of the simulated agent', () => {
  it('an unavailable model fails with the API error (exit 1)', async () => {
    const outcome = await cli(['run', 'Hello.', '--command', AGENT, '--model', 'sim-unavailable-x']);
    expect(outcome.code).toBe(1);
    expect(tableRows(outcome.stdout)[0]).toMatchObject({ exit: 1, status: expect.stringMatching(/overloaded/i) });
    // In stream-json the CLI reports the API error as the assistant's text, so it is shown as output.
    expect(outcome.stdout).toMatch(/^\[process_001\] API Error: 529/m);
  });

  it('a crash after partial output keeps the partial output (exit 1)', async () => {
    const outcome = await cli(['run', 'Hello.', '--command', AGENT, '--model', 'sim-crash-x']);
    expect(outcome.code).toBe(1);
    expect(tableRows(outcome.stdout)[0]).toMatchObject({ exit: 2 });
    const [result] = summaryOf(outcome).results;
    expect(result.output).toMatch(/^Task: Hello\./);
    expect(result.stderr).toContain('simulated crash');
  });
});
