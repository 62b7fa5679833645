/**
 * Guarantee: text is cut between characters, programs are found without PATH, `timeout: 0` means
 * no timeout, and many runs in flight (hundreds in CI's long run) print no warning (issue 10, sections 5 and 6).
 *
 * - `maxBuffer` counts UTF-16 units; a result never starts inside an emoji, and
 *   `truncated.stdoutDropped` is exactly what is missing from the front.
 * - A line longer than 64 KiB, made of emoji and cut inside one at every 64 Ki units, reaches the
 *   `lines()` events, the process log (`logDir`), the result, the progress `lastLine` and the CLI's
 *   live lines and session log with no lone surrogate and no U+FFFD.
 * - Without PATH in the child's environment (`extendEnv: false`), commands are looked up in the
 *   default path, as execvp(3) does; the error names the path searched.
 * - `timeout: 0` (process, run, strategy, `--timeout 0`) runs without a timeout.
 * - 300 runs at 200 workers (library shapes and the CLI) emit no MaxListenersExceededWarning.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { from, lastValueFrom, toArray } from 'rxjs';
import { lines } from '../../src/output/lines';
import { CommandProcess } from '../../src/runnable/command-process';
import type { OutputEvent } from '../../src/process/types';
import { progress } from '../../src/progress/progress';
import { parallel, runParallel } from '../../src/strategies/parallel';
import { destroyRunning, onlySessionDir, runCli as cli } from '../cli/helpers';
import { collect, fixture, MODES, nodeFixture, resultOf, tempDirs } from '../helpers';

const LONG = process.env.RXO_LONG_TESTS === '1';
const EMOJI = '😀';
/** 40,000 emoji after one ASCII character: 80,001 units, cut at 65,536, inside a pair. */
const COUNT = 40_000;
const LONG_LINE = `a${EMOJI.repeat(COUNT)}`;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const REPLACEMENT = '\ufffd';

const temp = tempDirs('rxo-text-');
afterEach(destroyRunning);
afterAll(() => temp.cleanup());

/** Where text goes wrong: a lone surrogate or U+FFFD, with its position; undefined when clean. */
function flaw(text: string): string | undefined {
  const lone = LONE_SURROGATE.exec(text);
  if (lone) return `lone surrogate U+${lone[0].charCodeAt(0).toString(16)} at ${lone.index} of ${text.length}`;
  const bad = text.indexOf(REPLACEMENT);
  return bad >= 0 ? `U+FFFD at ${bad} of ${text.length}` : undefined;
}

function emojiCount(text: string): number {
  return text.split(EMOJI).length - 1;
}

describe.each(MODES)('maxBuffer never splits a character, $mode', ({ terminal }) => {
  it.each([
    { maxBuffer: 5, kept: 2 },
    { maxBuffer: 6, kept: 3 },
    { maxBuffer: 1, kept: 0 },
  ])('printf of 9 emoji with maxBuffer $maxBuffer keeps $kept whole emoji and counts the rest exactly', async ({ maxBuffer, kept }) => {
    const result = await new CommandProcess({ command: 'printf', args: ['%s', EMOJI.repeat(9)], maxBuffer, terminal }).run();
    expect(result.exitCode).toBe(0);
    expect(flaw(result.output)).toBeUndefined();
    expect(result.output).toBe(EMOJI.repeat(kept));
    expect(result.truncated).toEqual({ kept: 'last', maxBuffer, stdoutDropped: 18 - 2 * kept, stderrDropped: 0 });
  });
});

describe.each(MODES)('a line longer than 64 KiB is cut between characters, $mode', ({ terminal }) => {
  it('lines() hands out pieces without lone surrogates that join back to the line', async () => {
    // Never ended by a newline, the line is held as partial and cut at 64 Ki units, however it is read.
    const job = nodeFixture('emoji-line.js', [String(COUNT), '--no-newline'], { terminal });
    const events = await lastValueFrom(from([job]).pipe(parallel(), lines(), toArray()));
    const pieces = events.filter((event): event is OutputEvent => event.type === 'output').map((event) => event.chunk.replace(/\r?\n$/, ''));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.map(flaw).filter(Boolean)).toEqual([]);
    expect(pieces.every((piece) => piece.length <= 64 * 1024)).toBe(true);
    expect(pieces.join('')).toBe(LONG_LINE);
  });

  it('the process log keeps every emoji (no U+FFFD) and the result the whole line', async () => {
    const logDir = temp.make('log');
    const result = await nodeFixture('emoji-line.js', [String(COUNT), '--no-newline'], { terminal, logDir, processId: 'emoji' }).run();
    expect(result.exitCode).toBe(0);
    expect(result.output).toBe(LONG_LINE);
    const log = readFileSync(join(logDir, 'emoji.log'), 'utf8');
    expect(flaw(log)).toBeUndefined();
    expect(emojiCount(log)).toBe(COUNT);
  });
});

describe('the status line is cut between characters', () => {
  it('progress() shows a line cut to its kept length inside an emoji without a lone surrogate', async () => {
    // 199 colour resets and 3 letters fill 799 of the 800 units a 200-wide status line keeps: the
    // cut falls inside the first emoji, and the resets are stripped before the line is shown.
    const prefix = JSON.stringify(`${'\x1b[0m'.repeat(199)}xyz`);
    const job = nodeFixture('emoji-line.js', ['3', '--prefix', prefix], { processId: 'status' });
    const snapshots = await lastValueFrom(from([job]).pipe(parallel(), progress({ lineWidth: 200 }), toArray()));
    const shown = snapshots.map((snapshot) => snapshot.processes.find((p) => p.processId === 'status')?.lastLine ?? '');
    expect(shown).toContain('xyz');
    expect(shown.map(flaw).filter(Boolean)).toEqual([]);
  });
});

describe('the CLI shows and logs a long emoji line whole', () => {
  it('live lines on stdout and the session log have every emoji and no U+FFFD', async () => {
    const dir = temp.make('cli');
    const outcome = await cli(['run', '--exec', `${process.execPath} ${fixture('emoji-line.js')} ${COUNT} --no-newline`], { cwd: dir });
    expect(outcome.code).toBe(0);
    expect(flaw(outcome.stdout)).toBeUndefined();
    expect(emojiCount(outcome.stdout)).toBe(COUNT);
    const session = onlySessionDir(join(dir, '.claude', 'runtime', 'logs'));
    const log = readFileSync(join(session, 'process_001.log'), 'utf8');
    expect(flaw(log)).toBeUndefined();
    expect(emojiCount(log)).toBe(COUNT);
  });
});

describe('without PATH, commands are looked up in the default path (execvp)', () => {
  it.each(MODES)('sh -c "echo hi" with extendEnv: false and env { FOO } runs, $mode', async ({ terminal }) => {
    const result = await new CommandProcess({ command: 'sh', args: ['-c', 'echo hi $FOO'], extendEnv: false, env: { FOO: '1' }, terminal }).run();
    expect({ exitCode: result.exitCode, error: result.error, output: result.output.replace(/\r\n/g, '\n') }).toEqual({
      exitCode: 0,
      error: null,
      output: 'hi 1\n',
    });
  });

  it('finds the resource-limit wrapper there too', async () => {
    const result = await new CommandProcess({ command: 'sh', args: ['-c', 'echo hi'], extendEnv: false, limits: { nice: 5 } }).run();
    expect({ exitCode: result.exitCode, error: result.error, output: result.output }).toEqual({ exitCode: 0, error: null, output: 'hi\n' });
  });

  it('names the path it searched when the command is nowhere', async () => {
    const result = await new CommandProcess({ command: 'rxo-no-such-program', extendEnv: false }).run();
    expect({ exitCode: result.exitCode, reason: result.reason, error: result.error }).toEqual({
      exitCode: 127,
      reason: 'spawn-error',
      error: 'command not found: rxo-no-such-program (PATH is not set; searched the default path /usr/local/bin:/usr/bin:/bin)',
    });
  });
});

describe('timeout: 0 means no timeout', () => {
  const sleeper = (options: { timeout?: number } = {}): CommandProcess =>
    new CommandProcess({ command: 'sleep', args: ['0.3'], processId: 'sleeper', ...options });

  it('as a process option, a run option overriding the process, and a strategy option', async () => {
    const own = await sleeper({ timeout: 0 }).run();
    const run = await sleeper({ timeout: 0.05 }).run({ timeoutMs: 0 });
    const [strategy] = await runParallel([sleeper({ timeout: 0.05 })], { timeout: 0 });
    for (const result of [own, run, strategy]) {
      expect({ exitCode: result.exitCode, reason: result.reason, timedOut: result.timedOut }).toEqual({ exitCode: 0, reason: 'exit', timedOut: false });
    }
  });

  it('a timeout below 0 is still a TypeError naming the option', () => {
    expect(() => sleeper({ timeout: -1 })).toThrow(new TypeError('timeout must be a finite number of seconds, 0 or more (0: no timeout), received -1 (number)'));
  });

  it('--timeout 0 on the CLI runs to the end', async () => {
    const outcome = await cli(['run', '--exec', '--timeout', '0', 'sleep 0.3'], { cwd: temp.make('cli-timeout') });
    expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('many runs in flight (hundreds with RXO_LONG_TESTS=1) print no MaxListenersExceededWarning', () => {
  // Node warns past 10 listeners: 25 runs in flight is well past it; the 300 at 200 with RXO_LONG_TESTS=1.
  const [runs, workers] = LONG ? [300, 200] : [30, 25];

  it(`library: parallel, halt now, batched and retries, ${runs} processes at ${workers} workers`, async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [fixture('many-runs-host.js'), String(runs), String(workers)], {
      timeout: 120_000,
    });
    const report = JSON.parse(stdout) as { warnings: string[]; shapes: Record<string, { results: number; succeeded: number }> };
    expect(report.warnings).toEqual([]);
    expect(stderr).toBe('');
    expect(report.shapes).toEqual({
      parallel: { results: runs, succeeded: runs },
      'halt-now': { results: runs, succeeded: runs },
      batched: { results: runs, succeeded: runs },
      retry: { results: runs, succeeded: 0 },
    });
  }, 150_000);

  it(`CLI: ${runs} commands with --max-workers ${workers}`, async () => {
    const commands = Array.from({ length: runs }, () => '/bin/true');
    const outcome = await cli(['parallel', '--exec', '--max-workers', String(workers), '--quiet', ...commands], { cwd: temp.make('cli-many') });
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).not.toMatch(/Warning/);
    expect(outcome.stdout).toMatch(new RegExp(`${runs} processes: ${runs} succeeded, 0 failed`));
  }, 90_000);
});
