/**
 * Usage errors exit 2 with a clear message on stderr, print nothing on stdout and run nothing;
 * `--help` and `--version` exit 0.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirs } from '../helpers';
import { REPO, runCli, type CliOutcome } from './helpers';

const temp = tempDirs('orchestrate-');

let dir: string;

beforeEach(() => {
  dir = temp.make('usage');
});

afterAll(() => temp.cleanup());

function cli(...args: string[]): Promise<CliOutcome> {
  return runCli([...args, '--working-dir', dir], { cwd: dir });
}

/** A marker command: if it ever runs, the file appears. */
function touch(): string {
  return `touch '${join(dir, 'ran')}'`;
}

async function expectUsageError(args: string[], message: RegExp): Promise<CliOutcome> {
  const outcome = await cli(...args);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(message) });
  expect(outcome.stderr).toMatch(/^orchestrate: /);
  expect(outcome.stdout).toBe('');
  // Nothing ran, and no session was opened in the working directory.
  expect(existsSync(join(dir, 'ran'))).toBe(false);
  expect(existsSync(join(dir, '.claude'))).toBe(false);
  return outcome;
}

describe('usage errors exit 2', () => {
  it('no command', async () => {
    const outcome = await expectUsageError([], /Give a command: run, parallel, sequential, fallback, batched, resume or demo/);
    expect(outcome.stderr).toContain("Run 'orchestrate --help' for usage.");
  });

  it('an unknown command', async () => {
    await expectUsageError(['frobnicate', 'x'], /Unknown arguments?: frobnicate/);
  });

  it('an unknown option', async () => {
    await expectUsageError(['run', '--exec', touch(), '--bogus'], /Unknown argument: bogus/);
  });

  it('a misspelt command', async () => {
    await expectUsageError(['paralel', '--exec', touch()], /Unknown argument.*paralel/);
  });

  it('a value given to a flag (--exec=false)', async () => {
    await expectUsageError(['parallel', '--exec=false', touch()], /Argument unexpected for: exec/);
  });

  it('--max-workers 0', async () => {
    await expectUsageError(['parallel', '--max-workers', '0', '--exec', touch()], /maxWorkers must be a positive integer.*received 0/);
  });

  it('--max-workers abc names what was typed', async () => {
    await expectUsageError(['parallel', '--max-workers', 'abc', '--exec', touch()], /--max-workers must be a number, received "abc"/);
  });

  it('--max-workers 1.5', async () => {
    await expectUsageError(['parallel', '--max-workers', '1.5', '--exec', touch()], /maxWorkers must be a positive integer.*1\.5/);
  });

  it('--batch-size -1', async () => {
    await expectUsageError(['batched', '--batch-size', '-1', '--exec', touch()], /batchSize must be a positive integer.*-1/);
  });

  it('--batch-size 0', async () => {
    await expectUsageError(['batched', '--batch-size', '0', '--exec', touch()], /batchSize must be a positive integer.*received 0/);
  });

  it('--timeout -5', async () => {
    await expectUsageError(['run', '--timeout', '-5', '--exec', touch()], /timeout must be a finite number of seconds, 0 or more \(0: no timeout\).*-5/);
  });

  it('--timeout abc names what was typed', async () => {
    await expectUsageError(['run', '--timeout', 'abc', '--exec', touch()], /--timeout must be a number, received "abc"/);
  });

  it('--timeout -0.5', async () => {
    await expectUsageError(['sequential', '--timeout', '-0.5', '--exec', touch()], /timeout must be .*0 or more.*received -0\.5/);
  });

  it('a missing positional for run', async () => {
    await expectUsageError(['run'], /Missing required argument: prompt/);
  });

  it('a missing positional for a strategy', async () => {
    for (const command of ['parallel', 'sequential', 'fallback', 'batched']) {
      await expectUsageError([command], /Not enough non-option arguments: got 0, need at least 1/);
    }
  });

  it('--exec with an unterminated quote (checked before any command runs)', async () => {
    const outcome = await expectUsageError(['sequential', '--exec', touch(), "echo 'oops"], /unterminated single quote in command: echo 'oops/);
    expect(outcome.stderr).not.toContain('Error:');
  });

  it('--exec with an empty command', async () => {
    await expectUsageError(['parallel', '--exec', touch(), '   '], /empty command/);
  });

  it('an unwritable --log-dir (a path under a regular file)', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory\n');
    const outcome = await expectUsageError(['run', '--exec', touch(), '--log-dir', join(file, 'logs')], /cannot write logs to .*a-file\/logs/);
    expect(outcome.stderr).toMatch(/ENOTDIR|not a directory/);
  });
});

describe('--help and --version', () => {
  it('--help exits 0 and lists every command and option', async () => {
    const outcome = await cli('--help');
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toBe('');
    for (const command of ['run <prompt>', 'demo', 'parallel <prompts..>', 'sequential <prompts..>', 'fallback <prompts..>', 'batched <prompts..>']) {
      expect(outcome.stdout).toContain(`orchestrate ${command}`);
    }
    const options = ['--max-workers', '--batch-size', '--pass-output', '--stop-on-failure', '--model', '--timeout', '--working-dir', '--log-dir', '--command', '--exec', '--json', '--quiet', '--help', '--version'];
    for (const option of options) expect(outcome.stdout).toMatch(new RegExp(`^\\s+(-\\w, )?${option}\\s`, 'm'));
    expect(outcome.stdout).toContain('-q, --quiet');
  });

  it('--help on a command exits 0 and describes it', async () => {
    const outcome = await cli('fallback', '--help');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('Try the prompts in order until one succeeds');
    expect(existsSync(join(dir, '.claude'))).toBe(false);
  });

  it('--version exits 0 and prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const outcome = await cli('--version');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout.trim()).toBe(version);
    expect(outcome.stderr).toBe('');
  });
});
