/**
 * Guarantee: bad input gives one clear error, never an unhandled exception, and runs nothing.
 *
 * - Library: a negative, zero or non-numeric timeout (process option, run option, strategy
 *   option), a bad `maxWorkers` (0, -1, 1.5, "4"): a TypeError naming the option and the value,
 *   thrown at once or rejected by the Promise form, with nothing spawned. A missing binary is a
 *   result (127, `command not found`), not an error. An unwritable log directory is a
 *   LogDirectoryError. `runParallel([])` resolves `[]`; `runWithFallback([])` rejects with
 *   EmptyProcessListError.
 * - The same calls made by a separate host program (spec/fixtures/guarantee2-invalid-host.js) on
 *   the built library: neither 'uncaughtException' nor 'unhandledRejection' ever fires.
 * - CLI: bad `--timeout` / `--max-workers`, no prompts, an empty `--exec` command, an unwritable
 *   `--log-dir` exit 2 with one `orchestrate: ...` line and no stack; a missing binary exits 1 with
 *   a 127 result in the summary.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClaudeProcess } from '../../src/runnable/claude-process';
import { EmptyProcessListError, LogDirectoryError } from '../../src/errors';
import { CommandProcess } from '../../src/runnable/command-process';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import { batched, runBatched } from '../../src/strategies/batched';
import { fallback, runWithFallback } from '../../src/strategies/fallback';
import { parallel, runParallel } from '../../src/strategies/parallel';
import { runSequential, sequential } from '../../src/strategies/sequential';
import { fixture, tempDirs } from '../helpers';
import { destroyRunning, logRoot, onlySessionDir, readSummary, runCli, runCliInProcess, type CliOutcome } from '../cli/helpers';

const temp = tempDirs('rxo-guarantee-invalid-');
afterEach(destroyRunning);
afterAll(() => temp.cleanup());

const TIMEOUT_MESSAGE = /^timeout must be a finite number of seconds, 0 or more \(0: no timeout\), received /;

let dir: string;
let marker: string;
let notADirectory: string;

beforeEach(() => {
  dir = temp.make('case');
  marker = join(dir, 'ran');
  notADirectory = join(dir, 'a-file');
  writeFileSync(notADirectory, 'not a directory\n');
});

/** A process that creates `marker` if it ever runs. */
function touches(): CommandProcess {
  return new CommandProcess({ command: 'touch', args: [marker], processId: 'touch' });
}

describe('library: a bad timeout is one TypeError naming the value, and nothing runs', () => {
  it.each([
    ['-1', -1, '-1 (number)'],
    ['-0.5', -0.5, '-0.5 (number)'],
    ['NaN', Number.NaN, 'NaN (number)'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity (number)'],
    ['"5" (a string)', '5', '"5" (string)'],
    ['"abc"', 'abc', '"abc" (string)'],
  ])('timeout %s: as a process option, a run option and a strategy option', async (_label, timeout, shown) => {
    const message = new RegExp(`${TIMEOUT_MESSAGE.source}${shown.replace(/[()]/g, '\\$&')}$`);
    const bad = timeout as number;
    expect(() => new CommandProcess({ command: 'touch', args: [marker], timeout: bad })).toThrow(TypeError);
    expect(() => new CommandProcess({ command: 'touch', args: [marker], timeout: bad })).toThrow(message);
    expect(() => new ClaudeProcess({ prompt: 'hi', command: 'touch', timeout: bad })).toThrow(message);
    // A run option is in milliseconds (the seed's seconds apply to the process and strategy options).
    const msMessage = new RegExp(`^timeoutMs must be a finite number of milliseconds, 0 or more, received ${shown.replace(/[()]/g, '\\$&')}$`);
    await expect(touches().run({ timeoutMs: bad })).rejects.toThrow(msMessage);
    expect(() => parallel({ timeout: bad })).toThrow(message);
    expect(() => sequential({ timeout: bad })).toThrow(message);
    expect(() => fallback({ timeout: bad })).toThrow(message);
    expect(() => batched({ timeout: bad, batchSize: 2 })).toThrow(message);
    await expect(runParallel([touches()], { timeout: bad })).rejects.toThrow(message);
    await expect(runSequential([touches()], { timeout: bad })).rejects.toThrow(message);
    await expect(runWithFallback([touches()], { timeout: bad })).rejects.toThrow(message);
    await expect(runBatched([touches()], { timeout: bad, batchSize: 2 })).rejects.toThrow(TypeError);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('library: a bad maxWorkers is one TypeError, and nothing runs', () => {
  it.each([
    ['-0.5', -0.5, '-0.5 (number)'],
    ['-1', -1, '-1 (number)'],
    ['1.5', 1.5, '1.5 (number)'],
    ['"4"', '4', '"4" (string)'],
    ['NaN', Number.NaN, 'NaN (number)'],
  ])('maxWorkers %s', async (_label, maxWorkers, shown) => {
    const message = `maxWorkers must be a positive integer, Infinity or 'auto', received ${shown}`;
    expect(() => parallel({ maxWorkers: maxWorkers as number })).toThrow(new TypeError(message));
    await expect(runParallel([touches()], { maxWorkers: maxWorkers as number })).rejects.toThrow(new TypeError(message));
    expect(existsSync(marker)).toBe(false);
  });
});

describe('library: a missing binary is a result, not an error', () => {
  it.each([false, true])('exit code 127 and "command not found" (terminal: %s)', async (terminal) => {
    const result = await new CommandProcess({ command: 'missing-binary-for-invalid-input', terminal }).run();
    expect(result).toMatchObject({ exitCode: 127, reason: 'spawn-error', pid: null, error: 'command not found: missing-binary-for-invalid-input (searched PATH)' });
  });

  it('in a strategy, beside a process that works', async () => {
    const results = await runParallel([new CommandProcess({ command: 'missing-binary-for-invalid-input' }), touches()]);
    expect(results.map((r) => r.exitCode).sort()).toEqual([0, 127]);
    expect(existsSync(marker)).toBe(true);
  });
});

describe('library: an unwritable log directory is a LogDirectoryError', () => {
  it('for a session (logRoot and logDir) and a process logDir, before anything runs', async () => {
    const bad = join(notADirectory, 'logs');
    expect(() => new OrchestratorSession({ patternName: 'bad', logRoot: bad })).toThrow(LogDirectoryError);
    expect(() => new OrchestratorSession({ patternName: 'bad', sessionDir: bad })).toThrow(/^cannot write logs to .*a-file\/logs: ENOTDIR/);
    await expect(new CommandProcess({ command: 'touch', args: [marker], logDir: bad }).run()).rejects.toBeInstanceOf(LogDirectoryError);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('library: empty process lists', () => {
  it('runParallel, runSequential and runBatched resolve []; runWithFallback rejects with EmptyProcessListError', async () => {
    await expect(runParallel([])).resolves.toEqual([]);
    await expect(runSequential([])).resolves.toEqual([]);
    await expect(runBatched([], { batchSize: 2 })).resolves.toEqual([]);
    await expect(runWithFallback([])).rejects.toBeInstanceOf(EmptyProcessListError);
    await expect(runWithFallback([])).rejects.toThrow('fallback needs at least one process, received an empty list');
  });
});

describe('library, in a separate host: no uncaughtException or unhandledRejection, ever', () => {
  interface Outcome {
    how: 'threw' | 'rejected' | 'resolved' | 'returned' | 'pending';
    name?: string;
    message?: string;
    value?: unknown;
  }
  let report: { outcomes: Record<string, Outcome>; unhandled: string[] };

  beforeAll(async () => {
    const hostDir = temp.make('host');
    const file = join(hostDir, 'a-file');
    writeFileSync(file, '');
    const { stdout } = await promisify(execFile)(process.execPath, [fixture('guarantee2-invalid-host.js'), file, join(hostDir, 'ran')], {
      timeout: 30_000,
    });
    report = JSON.parse(stdout);
    expect(existsSync(join(hostDir, 'ran'))).toBe(false);
  });

  it('fires neither handler and leaves no call pending', () => {
    expect(report.unhandled).toEqual([]);
    expect(Object.entries(report.outcomes).filter(([, outcome]) => outcome.how === 'pending')).toEqual([]);
  });

  it('throws (or rejects) a TypeError for every bad timeout and maxWorkers', () => {
    const bad = Object.entries(report.outcomes).filter(([name]) => / timeout | timeoutMs | maxWorkers /.test(name));
    expect(bad.length).toBe(21);
    for (const [name, outcome] of bad) {
      expect({ name, how: outcome.how === 'threw' || outcome.how === 'rejected', error: outcome.name }).toEqual({ name, how: true, error: 'TypeError' });
      const expected = name.includes('timeoutMs')
        ? /^timeoutMs must be a finite number of milliseconds, 0 or more, received /
        : name.includes('timeout') ? TIMEOUT_MESSAGE : /^maxWorkers must be a positive integer, Infinity or 'auto', received /;
      expect(outcome.message).toMatch(expected);
    }
  });

  it('resolves 127 results for missing binaries, LogDirectoryError for bad log dirs, and handles empty lists', () => {
    const o = report.outcomes;
    for (const name of ['missing binary (pipes)', 'missing binary (terminal)', 'missing claude']) {
      expect(o[name]).toMatchObject({ how: 'resolved', value: { exitCode: 127, reason: 'spawn-error' } });
    }
    for (const name of ['session logRoot unwritable', 'session logDir unwritable', 'fileLogSink unwritable']) {
      expect(o[name]).toMatchObject({ how: 'threw', name: 'LogDirectoryError' });
    }
    expect(o['process logDir unwritable: run()']).toMatchObject({ how: 'rejected', name: 'LogDirectoryError' });
    // Inside a strategy the same error is a failed result, so its siblings carry on.
    expect(o['process logDir unwritable: runParallel']).toMatchObject({
      how: 'resolved',
      value: { array: 1, items: [{ exitCode: 1, reason: 'error', error: expect.stringContaining('LogDirectoryError: cannot write logs to') }] },
    });
    expect(o['runParallel([])']).toEqual({ how: 'resolved', value: { array: 0, items: [] } });
    expect(o['runSequential([])']).toEqual({ how: 'resolved', value: { array: 0, items: [] } });
    expect(o['runBatched([])']).toEqual({ how: 'resolved', value: { array: 0, items: [] } });
    expect(o['runWithFallback([])']).toMatchObject({ how: 'rejected', name: 'EmptyProcessListError' });
  });
});

describe('CLI: one clear error, no stack', () => {
  /** Runs the built `orchestrate <command> --working-dir <dir> <rest>` (the directory before any `--`). */
  function cli(command: string, ...rest: string[]): Promise<CliOutcome> {
    return runCli([command, '--working-dir', dir, ...rest], { cwd: dir });
  }

  /**
   * The same through `cli(argv, io)` in this process: for the table of usage errors, whose message
   * and exit code come from parsing alone (a throw escaping `cli` fails the test). The spawned runs
   * below keep checking what the binary itself prints.
   */
  function cliInProcess(command: string, ...rest: string[]): Promise<CliOutcome> {
    return runCliInProcess([command, '--working-dir', dir, ...rest]);
  }

  function expectOneError(outcome: CliOutcome, code: number, message: RegExp): void {
    expect({ code: outcome.code, signal: outcome.signal }).toEqual({ code, signal: null });
    expect(outcome.stderr).toMatch(message);
    expect(outcome.stderr.match(/^orchestrate: /gm)).toHaveLength(1);
    expect(outcome.stderr).not.toMatch(/^\s+at /m);
    expect(outcome.stderr).not.toMatch(/Unhandled|uncaught/i);
  }

  it.each([
    ['--timeout -1', ['run', '--exec', `touch ANY`, '--timeout', '-1'], /orchestrate: --timeout must be a finite number of seconds, 0 or more \(0: no timeout\), received -1\n/],
    ['--timeout=-1', ['parallel', '--exec', 'touch ANY', '--timeout=-1'], /orchestrate: --timeout must be .*received -1\n/],
    ['--timeout -0.5', ['sequential', '--exec', 'touch ANY', '--timeout', '-0.5'], /orchestrate: --timeout must be .*received -0\.5\n/],
    ['--timeout abc', ['run', '--exec', 'touch ANY', '--timeout', 'abc'], /orchestrate: --timeout must be a number, received "abc"/],
    ['--timeout ""', ['run', '--exec', 'touch ANY', '--timeout', ''], /orchestrate: --timeout must be a number, received ""/],
    ['--max-workers 0', ['parallel', '--exec', 'touch ANY', '--max-workers', '0'], /orchestrate: --max-workers must be a positive integer or auto, received 0\n/],
    ['--max-workers abc', ['parallel', '--exec', 'touch ANY', '--max-workers', 'abc'], /orchestrate: --max-workers must be a number, received "abc"/],
    ['no prompts (parallel)', ['parallel'], /orchestrate: Not enough non-option arguments: got 0, need at least 1/],
    ['no prompts (fallback --exec)', ['fallback', '--exec'], /orchestrate: Not enough non-option arguments: got 0, need at least 1/],
    ['no prompt (run)', ['run'], /orchestrate: Missing required argument: prompt/],
    ['nothing after --', ['parallel', '--'], /orchestrate: Not enough non-option arguments: got 0, need at least 1/],
    ['an empty --exec command', ['parallel', '--exec', 'touch ANY', '  '], /orchestrate: empty command: "  "/],
  ])('%s: exit 2, nothing run, no session', async (_label, args, message) => {
    const [command, ...rest] = args.map((arg) => arg.replace('ANY', marker));
    const outcome = await cliInProcess(command, ...rest);
    expectOneError(outcome, 2, message);
    expect(outcome.stdout).toBe('');
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, '.claude'))).toBe(false);
  });

  it('an unwritable --log-dir: exit 2 naming the directory, nothing run', async () => {
    const outcome = await cli('run', '--exec', `touch ${marker}`, '--log-dir', join(notADirectory, 'logs'));
    expectOneError(outcome, 2, /^orchestrate: cannot write logs to .*a-file\/logs.*ENOTDIR/);
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ['--exec', ['run', '--exec', 'missing-binary-for-invalid-input --flag']],
    ['prompt mode', ['run', '--command', 'missing-claude-for-invalid-input', 'hello']],
  ])('a missing binary (%s): exit 1, result 127 in the summary, no stack', async (_label, args) => {
    const outcome = await cli(args[0], ...args.slice(1));
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(/process_001\s+127\s+\S+ s\s+failed: command not found: missing-\S+ \(searched PATH\)/);
    expect(outcome.stderr).not.toMatch(/^\s+at /m);
    const summary = readSummary(onlySessionDir(logRoot(dir)));
    expect(summary.results).toEqual([expect.objectContaining({ exitCode: 127, reason: 'spawn-error' })]);
  });
});
