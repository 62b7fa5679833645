/**
 * Usage errors exit 2 with a clear message in the flags' own terms on stderr, ending with the
 * `--help` hint of the command given; they print nothing on stdout and run nothing. `--help` (per
 * command: only its flags, grouped, with examples) and `--version` exit 0. Parsing runs in
 * process (src/cli/cli.ts); two smoke tests spawn the built CLI.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirs } from '../helpers';
import { REPO, runCli } from './helpers';
import { runInProcess, type InProcessOutcome } from './in-process';

const temp = tempDirs('orchestrate-');

let dir: string;

beforeEach(() => {
  dir = temp.make('usage');
});

afterAll(() => temp.cleanup());

function cli(...args: string[]): Promise<InProcessOutcome> {
  return runInProcess([...args, '--working-dir', dir], { columns: 100 });
}

/** A marker command: if it ever runs, the file appears. */
function touch(): string {
  return `touch '${join(dir, 'ran')}'`;
}

async function expectUsageError(args: string[], message: RegExp, hint = /Run 'orchestrate (\w+ )?--help' for usage\.\n$/): Promise<InProcessOutcome> {
  const outcome = await cli(...args);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(message) });
  expect(outcome.stderr).toMatch(/^orchestrate: /);
  expect(outcome.stderr).toMatch(hint);
  // No camelCase alias of a flag in any message.
  expect(outcome.stderr).not.toMatch(/maxWorkers|batchSize|workingDir|logDir|stopOnFailure|passOutput/);
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

  it('an unknown option, with the command\'s help hint', async () => {
    const outcome = await expectUsageError(['run', '--exec', touch(), '--bogus'], /Unknown argument: bogus/);
    expect(outcome.stderr).toContain("Run 'orchestrate run --help' for usage.");
  });

  it('a misspelt command', async () => {
    await expectUsageError(['paralel', '--exec', touch()], /Unknown argument.*paralel[\s\S]*Did you mean parallel/);
  });

  it('a misspelt flag gets a did-you-mean', async () => {
    const outcome = await expectUsageError(['parallel', '--max-wrkers', '2', '--exec', touch()], /Unknown argument: max-wrkers\nDid you mean --max-workers \(for --max-wrkers\)\?/);
    expect(outcome.stderr).toContain("Run 'orchestrate parallel --help' for usage.");
  });

  it('a camelCase flag is not a flag', async () => {
    const outcome = await cli('parallel', '--maxWorkers', '2', '--exec', touch());
    // The word typed is quoted back; what is suggested is the flag.
    expect(outcome).toEqual({ code: 2, stdout: '', stderr: "orchestrate: Unknown argument: maxWorkers\nDid you mean --max-workers (for --maxWorkers)?\nRun 'orchestrate parallel --help' for usage.\n" });
  });

  it('a value given to a flag (--exec=false)', async () => {
    await expectUsageError(['parallel', '--exec=false', touch()], /Argument unexpected for: exec/);
  });

  it('--max-workers 0, 1.5 and -j 0 speak of --max-workers', async () => {
    await expectUsageError(['parallel', '--max-workers', '0', '--exec', touch()], /--max-workers must be a positive integer or auto, received 0\n/);
    await expectUsageError(['parallel', '--max-workers', '1.5', '--exec', touch()], /--max-workers must be a positive integer or auto, received 1\.5/);
    await expectUsageError(['parallel', '-j', '0', '--exec', touch()], /--max-workers must be a positive integer or auto, received 0/);
  });

  it('--max-workers abc names what was typed', async () => {
    await expectUsageError(['parallel', '--max-workers', 'abc', '--exec', touch()], /--max-workers must be a number, received "abc"/);
  });

  it('--batch-size -1 and 0', async () => {
    await expectUsageError(['batched', '--batch-size', '-1', '--exec', touch()], /--batch-size must be a positive integer, received -1/);
    await expectUsageError(['batched', '--batch-size', '0', '--exec', touch()], /--batch-size must be a positive integer, received 0/);
  });

  it('--timeout -5, -0.5 and abc', async () => {
    await expectUsageError(['run', '--timeout', '-5', '--exec', touch()], /--timeout must be a finite number of seconds, 0 or more \(0: no timeout\), received -5/);
    await expectUsageError(['sequential', '--timeout', '-0.5', '--exec', touch()], /--timeout must be .*0 or more.*received -0\.5/);
    await expectUsageError(['run', '--timeout', 'abc', '--exec', touch()], /--timeout must be a number, received "abc"/);
  });

  it('--kill-grace and --retries out of range', async () => {
    await expectUsageError(['run', '--kill-grace', '-1', '--exec', touch()], /--kill-grace must be a number of seconds, 0 or more, received -1/);
    await expectUsageError(['run', '--retries', '1.5', '--exec', touch()], /--retries must be a whole number, 0 or more, received 1\.5/);
  });

  it('a missing positional for run', async () => {
    await expectUsageError(['run'], /Missing required argument: prompt/);
  });

  it('a missing positional for a strategy', async () => {
    for (const command of ['parallel', 'sequential', 'fallback', 'batched']) {
      await expectUsageError([command], /Not enough non-option arguments: got 0, need at least 1/, new RegExp(`Run 'orchestrate ${command} --help' for usage`));
    }
  });

  it('--exec with an unterminated quote (checked before any command runs)', async () => {
    const outcome = await expectUsageError(['sequential', '--exec', touch(), "echo 'oops"], /unterminated single quote in command: echo 'oops/);
    expect(outcome.stderr).not.toContain('Error:');
  });

  it('--exec with an empty command', async () => {
    await expectUsageError(['parallel', '--exec', touch(), '   '], /empty command/);
  });

  it('--names: one per process, unique, usable as a file name', async () => {
    await expectUsageError(['parallel', '--exec', '--names', 'a', touch(), touch()], /--names must name every process: 1 name\(s\) for 2 command\(s\)/);
    await expectUsageError(['parallel', '--exec', '--names', 'a,a', touch(), touch()], /--names: "a" is given twice/);
    await expectUsageError(['parallel', '--exec', '--name', 'x/y', touch()], /--names: "x\/y" cannot name a process/);
    await expectUsageError(['parallel', '--exec', '--name', '..', touch()], /--names: "\.\." cannot name a process/);
  });

  it('an unwritable --log-dir (a path under a regular file)', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory\n');
    const outcome = await expectUsageError(['run', '--exec', touch(), '--log-dir', join(file, 'logs')], /cannot write logs to .*a-file\/logs/);
    expect(outcome.stderr).toMatch(/ENOTDIR|not a directory/);
  });
});

describe('--help and --version', () => {
  it('--help exits 0, lists every command and the flags every command shares', async () => {
    const outcome = await cli('--help');
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toBe('');
    for (const command of ['run <prompt>', 'demo', 'parallel <prompts..>', 'sequential <prompts..>', 'fallback <prompts..>', 'batched <prompts..>', 'resume <session>']) {
      expect(outcome.stdout).toContain(`orchestrate ${command}`);
    }
    for (const option of ['--model', '--working-dir', '--log-dir', '--log', '--json', '--quiet', '--help', '--version']) {
      expect(outcome.stdout).toMatch(new RegExp(`^\\s+(-\\w, )?${option}\\s`, 'm'));
    }
    expect(outcome.stdout).toContain('-q, --quiet');
    expect(outcome.stdout).toContain('--no-log');
    expect(outcome.stdout).toContain("Run 'orchestrate <command> --help' for the options of a command.");
    expect(outcome.stdout).not.toMatch(/maxWorkers|^\s+--batch-size/m);
  });

  it('a command\'s --help shows its own flags only, grouped, with examples', async () => {
    const outcome = await cli('batched', '--help');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('Run the prompts in batches of --batch-size');
    for (const heading of ['Strategy:', 'Processes:', 'Claude:', 'Output:', 'Logs:', 'Examples:']) expect(outcome.stdout).toContain(`\n${heading}\n`);
    for (const option of ['-j, --max-workers', '--batch-size', '--pass-output', '--halt', '--exec', '--names', '--kill-grace']) expect(outcome.stdout).toContain(option);
    for (const option of ['--stop-on-failure', '--kill-stale', '--trust-plan']) expect(outcome.stdout).not.toContain(option);
    expect(outcome.stdout).not.toMatch(/maxWorkers|batchSize/);
    const sequential = await cli('sequential', '--help');
    expect(sequential.stdout).toContain('--stop-on-failure');
    expect(sequential.stdout).not.toMatch(/--batch-size|--max-workers|--halt/);
    const resume = await cli('resume', '--help');
    expect(resume.stdout).toMatch(/Resume:[\s\S]*--kill-stale[\s\S]*--yes[\s\S]*--trust-plan/);
    expect(resume.stdout).not.toMatch(/--exec|--names/);
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

describe('the built CLI (smoke tests: spawned for real)', () => {
  it('--version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const outcome = await runCli(['--version'], { cwd: dir });
    expect({ code: outcome.code, stdout: outcome.stdout.trim(), stderr: outcome.stderr }).toEqual({ code: 0, stdout: version, stderr: '' });
  });

  it('a usage error exits 2 with the message and the hint', async () => {
    const outcome = await runCli(['parallel', '--max-workers', '0', '--exec', touch(), '--working-dir', dir], { cwd: dir });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe("orchestrate: --max-workers must be a positive integer or auto, received 0\nRun 'orchestrate parallel --help' for usage.\n");
    expect(outcome.stdout).toBe('');
  });
});
