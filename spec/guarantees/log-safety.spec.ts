/**
 * Guarantee: logs are never followed and never lost silently (issue 10, section 2).
 *
 * - Planted symlinks: a process log, summary.json, plan.json and joblog.tsv planted as symlinks
 *   to victim files leave the victims untouched and the error is reported; a session `logDir`
 *   that is a symlink, and a log root writable by others without the sticky bit, are refused
 *   before anything runs.
 * - Full disk (a 64 KiB tmpfs, mounted here: we run as root): each failing file is reported once,
 *   in plain words, never as a stack trace; the summary table is printed; the exit code is the
 *   jobs' (3 with --strict-logs); the `Logs:` line says the logs are incomplete.
 * - `--log-dir` under /proc fails at once (it used to spin at 100% CPU); a missing working
 *   directory is a usage error and nothing is created; `--exec -` reads commands from stdin and
 *   an empty job list is a usage error before anything is created.
 * - Backpressure: a log file that cannot keep up holds the session's OutputGate closed until it
 *   drains. With RXO_LONG_TESTS=1: 20 processes x 40 MB through a session, host peak RSS measured.
 *
 * The refusals, the full disk and the missing working directory run the CLI in this process
 * (`cli(argv, io)`); what could spin or needs stdin or a terminal spawns the built CLI.
 */
import { spawnSync } from 'node:child_process';
import * as pty from 'node-pty';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogDirectoryError } from '../../src/errors';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import { OutputGate } from '../../src/process/buffer/output-gate';
import { runParallel } from '../../src/strategies/parallel';
import { CLI, destroyRunning, runCliInProcess, startCli, tableRows } from '../cli/helpers';
import { fixture, tempDirs } from '../helpers';

const LONG = process.env.RXO_LONG_TESTS === '1';
const temp = tempDirs('rxo-log-safety-');
afterAll(() => temp.cleanup());
afterEach(destroyRunning);

const VICTIM_TEXT = 'victim: must never change\n';

function victim(dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, VICTIM_TEXT, { mode: 0o644 });
  return path;
}

describe('planted symlinks are never followed', () => {
  it('(a) a process log planted as a symlink: the victim is untouched, the run still ends, the error is reported', async () => {
    const dir = temp.make('a');
    const target = victim(dir, 'root-owned-file');
    const reported: string[] = [];
    const session = new OrchestratorSession({ patternName: 'a', workingDir: dir, onLogError: (error) => reported.push(error.message) });
    symlinkSync(target, join(session.sessionDir, 'evil.log'));
    const result = await session.createCommand('echo', ['pwned'], 'evil').run();
    await session.writeSummary();
    await session.close();
    expect(result.exitCode).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(VICTIM_TEXT);
    expect(reported).toEqual([`cannot write ${join(session.sessionDir, 'evil.log')}: it already exists (refused: this log must be a new file) (EEXIST)`]);
    const summary = JSON.parse(readFileSync(join(session.sessionDir, 'summary.json'), 'utf8'));
    expect(summary.logs).toEqual({ complete: false, errors: [{ file: join(session.sessionDir, 'evil.log'), reason: expect.stringContaining('EEXIST') }] });
  });

  it('(a) a log reopened for a second run of the same id, swapped for a symlink meanwhile, is refused too', async () => {
    const dir = temp.make('a2');
    const target = victim(dir, 'victim');
    const session = new OrchestratorSession({ patternName: 'a2', workingDir: dir });
    const process1 = session.createCommand('echo', ['first'], 'again');
    await process1.run();
    const log = join(session.sessionDir, 'again.log');
    renameSync(log, join(dir, 'moved.log'));
    symlinkSync(target, log);
    expect((await process1.run()).exitCode).toBe(0);
    await session.close();
    expect(readFileSync(target, 'utf8')).toBe(VICTIM_TEXT);
    expect(session.logErrors().map((e) => e.message)).toEqual([`cannot write ${log}: it is a symbolic link (refused: logs are never written through one) (ELOOP)`]);
  });

  it('(b) a session logDir that is a symlink is refused; nothing is written through it', () => {
    const dir = temp.make('b');
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o777 });
    chmodSync(elsewhere, 0o777);
    const link = join(dir, 'session-dir');
    symlinkSync(elsewhere, link);
    expect(() => new OrchestratorSession({ patternName: 'b', workingDir: dir, sessionDir: link })).toThrow(
      new LogDirectoryError(link, 'it is a symbolic link (refused: logs are never written through one)'),
    );
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(lstatSync(elsewhere).mode & 0o777).toBe(0o777);
  });

  it('(b) a session directory is always created new: an existing entry with its name is refused', () => {
    const dir = temp.make('b2');
    // A reused session logDir must be a real directory of ours that nobody else can write to.
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    expect(() => new OrchestratorSession({ patternName: 'b2', workingDir: dir, sessionDir: shared })).toThrow(/writable by others without the sticky bit \(mode 0777\).*chmod go-w/);
    expect(readdirSync(shared)).toEqual([]);
  });

  it('(c) summary.json, plan.json and joblog.tsv planted as symlinks: the victims are untouched', async () => {
    const dir = temp.make('c');
    const victims = { 'summary.json': victim(dir, 'v-summary'), 'plan.json': victim(dir, 'v-plan'), 'joblog.tsv': victim(dir, 'v-joblog') };
    const session = new OrchestratorSession({ patternName: 'c', workingDir: dir });
    for (const [name, target] of Object.entries(victims)) symlinkSync(target, join(session.sessionDir, name));
    const processes = [session.createCommand('echo', ['one'], 'one'), session.createCommand('echo', ['two'], 'two')];
    session.plan(processes, { strategy: 'parallel' });
    const results = await runParallel(processes);
    await session.writeSummary(results);
    await session.close();
    for (const [name, target] of Object.entries(victims)) expect({ name, text: readFileSync(target, 'utf8') }).toEqual({ name, text: VICTIM_TEXT });
    // summary.json and plan.json replaced the planted links (rename never follows one) ...
    for (const name of ['summary.json', 'plan.json']) expect(lstatSync(join(session.sessionDir, name)).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(join(session.sessionDir, 'plan.json'), 'utf8')).phases[0].processes).toHaveLength(2);
    // ... while the job log, appended to, was refused and reported.
    expect(session.logErrors().map((e) => e.file)).toEqual([join(session.sessionDir, 'joblog.tsv')]);
    expect(JSON.parse(readFileSync(join(session.sessionDir, 'summary.json'), 'utf8')).logs.complete).toBe(false);
  });

  it('(d) a --log-dir writable by others without the sticky bit is refused before anything runs; a sticky one is used', async () => {
    const dir = temp.make('d');
    const root = join(dir, 'logs');
    mkdirSync(root);
    chmodSync(root, 0o777);
    const refused = await runCliInProcess(['run', '--exec', `touch ${join(dir, 'ran')}`, '--log-dir', root, '--working-dir', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`orchestrate: cannot write logs to ${root}: it is writable by others without the sticky bit (mode 0777)`);
    expect(refused.stderr).toContain(`chmod go-w ${root}`);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    expect(readdirSync(root)).toEqual([]);

    chmodSync(root, 0o1777);
    const sticky = await runCliInProcess(['run', '--exec', `touch ${join(dir, 'ran')}`, '--log-dir', root, '--working-dir', dir]);
    expect(sticky.code).toBe(0);
    expect(existsSync(join(dir, 'ran'))).toBe(true);
    expect(readdirSync(root)).toHaveLength(1);
    expect(lstatSync(join(root, readdirSync(root)[0])).mode & 0o777).toBe(0o700);
  });
});

describe('a session directory swapped after creation', () => {
  it('(d) swapped for a symlink to a victim directory: every file still goes into the original directory, through its descriptor', async () => {
    const dir = temp.make('swap');
    const victimDir = join(dir, 'victim-dir');
    mkdirSync(victimDir);
    const session = new OrchestratorSession({ patternName: 'swap', workingDir: dir });
    const moved = join(dir, 'moved-session');
    renameSync(session.sessionDir, moved);
    symlinkSync(victimDir, session.sessionDir);
    const processes = [session.createCommand('echo', ['after the swap'], 'late')];
    session.plan(processes);
    const results = await runParallel(processes);
    await session.writeSummary(results);
    await session.close();
    expect(readdirSync(victimDir)).toEqual([]);
    expect(readdirSync(moved).sort()).toEqual(['joblog.tsv', 'late.log', 'plan.json', 'processes.tsv', 'session.log', 'summary.json']);
    expect(readFileSync(join(moved, 'late.log'), 'utf8')).toContain('stdout | after the swap');
    expect(session.logErrors()).toEqual([]);
  });
});

describe('a full disk (a 64 KiB tmpfs)', () => {
  let mountPoint = '';
  beforeEach(() => {
    mountPoint = temp.make('tmpfs');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      throw new Error(`cannot mount a 64 KiB tmpfs on ${mountPoint} (this spec needs root): ${mounted.stderr || mounted.error?.message}`);
    }
  });
  afterEach(() => {
    spawnSync('umount', [mountPoint]);
  });

  const jobs = ['seq 1 40000', 'seq 1 40000', 'seq 1 40000'];

  it('reports each failed file once, clearly, prints the table, exits by the jobs and says the logs are incomplete', async () => {
    const dir = temp.make('disk');
    const outcome = await runCliInProcess(['parallel', '--exec', ...jobs, '--quiet', '--log-dir', join(mountPoint, 'logs'), '--working-dir', dir]);
    expect(outcome.code).toBe(0);
    const failures = outcome.stderr.split('\n').filter((line) => line.startsWith('orchestrate: cannot write '));
    expect(failures.length).toBeGreaterThan(0);
    for (const line of failures) expect(line).toMatch(/^orchestrate: cannot write \S+: no space left on device \(ENOSPC\); logs incomplete$/);
    const files = failures.map((line) => line.split(' ')[3]);
    expect(new Set(files).size).toBe(files.length);
    // A run's log error is known by the time its result is: before the summary is composed.
    const summaryAt = files.findIndex((file) => file.endsWith('/summary.json'));
    if (summaryAt >= 0) expect(files.slice(summaryAt + 1).filter((file) => /process_\d+\.log$/.test(file))).toEqual([]);
    expect(`${outcome.stdout}${outcome.stderr}`).not.toMatch(/^\s+at /m);
    expect(tableRows(outcome.stdout).map((row) => row.status)).toEqual(['ok', 'ok', 'ok']);
    expect(outcome.stdout).toMatch(new RegExp(`^Logs: \\S+ \\(incomplete: ${failures.length} file\\(s\\) could not be written, see the errors above\\)$`, 'm'));
    // summary.json is either missing (said so) or says the logs are incomplete: never "complete".
    const summaryLine = /^Summary: (.+)$/m.exec(outcome.stdout)?.[1] ?? '';
    if (summaryLine.startsWith('not written')) expect(summaryLine).toBe('not written (see the error above)');
    else expect(JSON.parse(readFileSync(summaryLine, 'utf8')).logs.complete).toBe(false);
  }, 60_000);

  it('exits 3 with --strict-logs when every job succeeded but the logs are incomplete', async () => {
    const dir = temp.make('disk-strict');
    const outcome = await runCliInProcess(['parallel', '--exec', ...jobs, '--quiet', '--strict-logs', '--log-dir', join(mountPoint, 'logs'), '--working-dir', dir]);
    expect(outcome.code).toBe(3);
    expect(tableRows(outcome.stdout)).toHaveLength(3);
  }, 60_000);
});

describe('paths where logs cannot go, and working directories that do not exist', () => {
  /** How long the CLI takes to start and print its version here (the machine may be loaded). */
  let startupMs = 0;
  beforeAll(() => {
    const started = Date.now();
    spawnSync(process.execPath, [CLI, '--version']);
    startupMs = Date.now() - started;
  });

  it.each([
    ['--log-dir under /proc', ['--log-dir', '/proc/rxo-logs/deeper', '--working-dir', '/tmp'], 'cannot write logs to /proc/rxo-logs/deeper: cannot create directory /proc/rxo-logs'],
    ['--working-dir /proc (logs under it)', ['--working-dir', '/proc'], 'cannot write logs to /proc/.claude/runtime/logs: cannot create directory /proc/.claude'],
  ])('%s: fails at once with a clear error (exit 2), never spins', async (_, extra, expected) => {
    const dir = temp.make('proc');
    const cli = startCli(['run', '--exec', 'true', ...extra], { cwd: dir });
    const deadline = startupMs + 5000;
    const timer = setTimeout(() => cli.child.kill('SIGKILL'), deadline);
    const outcome = await cli.done;
    clearTimeout(timer);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(expected);
    // Beyond starting up, the error took under a second.
    expect(outcome.elapsedMs - startupMs).toBeLessThan(1000 + startupMs * 0.5);
  });

  it('a missing --working-dir is a usage error naming it, and nothing is created', async () => {
    const dir = temp.make('wd');
    const missing = join(dir, 'missing');
    const outcome = await runCliInProcess(['run', '--exec', 'true', '--working-dir', missing]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe(`orchestrate: --working-dir ${JSON.stringify(missing)} does not exist or is not a directory\nRun 'orchestrate run --help' for usage.\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('library: a missing workingDir is a TypeError naming it; a missing process cwd a spawn-error naming it; nothing is created', async () => {
    const dir = temp.make('wd-lib');
    const missing = join(dir, 'missing');
    expect(() => new OrchestratorSession({ patternName: 'x', workingDir: missing })).toThrow(
      new TypeError(`workingDir must be an existing directory, received ${JSON.stringify(missing)} (string)`),
    );
    expect(existsSync(missing)).toBe(false);
    const session = new OrchestratorSession({ patternName: 'x', workingDir: dir });
    const result = await session.createCommand('touch', ['made'], 'cwd', { cwd: missing }).run();
    await session.close();
    expect(result).toMatchObject({ reason: 'spawn-error', error: `working directory does not exist or is not a directory: ${missing}` });
    expect(existsSync(missing)).toBe(false);
  });
});

describe('--exec - and empty job lists', () => {
  function runWithStdin(args: string[], dir: string, input: string): ReturnType<typeof spawnSync> {
    return spawnSync(process.execPath, [CLI, ...args, '--working-dir', dir], { cwd: dir, input, encoding: 'utf8' });
  }

  it('runs one command per stdin line, blank lines skipped', () => {
    const dir = temp.make('stdin');
    const outcome = runWithStdin(['parallel', '--exec', '-', '--quiet'], dir, `touch ${join(dir, 'a')}\n\n   \ntouch '${join(dir, 'b c')}'\r\n`);
    expect(outcome.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['.claude', 'a', 'b c']);
    expect(tableRows(String(outcome.stdout))).toHaveLength(2);
  });

  it('stdin on a terminal: usage error (exit 2) naming the fix, before anything is created', async () => {
    const dir = temp.make('tty');
    const terminal = pty.spawn(process.execPath, [CLI, 'parallel', '--exec', '-', '--working-dir', dir], { cwd: dir, env: process.env as Record<string, string> });
    let text = '';
    terminal.onData((data) => (text += data));
    const exitCode = await new Promise<number>((resolve) => terminal.onExit(({ exitCode: code }) => resolve(code)));
    expect(exitCode).toBe(2);
    expect(text).toContain('--exec -: stdin is a terminal; pipe the commands in, one per line');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['stdin with no command lines', ['parallel', '--exec', '-'], '\n  \n', 'orchestrate: nothing to run: no commands were given (stdin had no command lines)'],
    ['- without --exec', ['parallel', '-'], 'true\n', "orchestrate: '-' reads commands from stdin and needs --exec"],
    ['run with two commands from stdin', ['run', '--exec', '-'], 'true\ntrue\n', 'orchestrate: run takes one command, received 2'],
  ])('%s: usage error (exit 2) before anything is created', (_, args, input, expected) => {
    const dir = temp.make('empty');
    const outcome = runWithStdin(args, dir, input);
    expect(outcome.status).toBe(2);
    expect(String(outcome.stderr)).toContain(expected);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('log writes honour backpressure', () => {
  it('a log file over its highWaterMark holds the session gate closed until it drains; the log is complete', async () => {
    const dir = temp.make('gate');
    const gate = new OutputGate();
    const states: boolean[] = [];
    gate.watch((open) => states.push(open));
    const session = new OrchestratorSession({ patternName: 'gate', workingDir: dir, outputGate: gate });
    expect(session.outputGate).toBe(gate);
    const result = await session.createCommand('seq', ['1', '200000'], 'seq').run();
    await session.close();
    expect(result.exitCode).toBe(0);
    expect(states).toContain(false);
    expect(states[states.length - 1]).toBe(true);
    expect(gate.open).toBe(true);
    const lines = readFileSync(join(session.sessionDir, 'seq.log'), 'utf8').split('\n').filter((line) => line.includes('stdout | '));
    expect(lines).toHaveLength(200000);
  }, 60_000);

  it('every process the session creates gets its gate', () => {
    const session = new OrchestratorSession({ patternName: 'gate2', workingDir: temp.make('gate2') });
    expect(session.outputGate).toBeInstanceOf(OutputGate);
    expect(session.createCommand('true').options.outputGate).toBe(session.outputGate);
    expect(session.createProcess('hi').options.outputGate).toBe(session.outputGate);
    return session.close();
  });

  (LONG ? it : it.skip)('20 processes x 40 MB through a session: host peak RSS stays bounded (RXO_LONG_TESTS)', () => {
    const dir = temp.make('rss');
    const host = spawnSync(process.execPath, [fixture('log-backpressure-host.js'), dir, '20', '40'], { encoding: 'utf8', timeout: 600_000 });
    expect(host.status).toBe(0);
    const report = JSON.parse(host.stdout) as { peakRssMiB: number; logBytes: number; expectedBytes: number };
    process.stdout.write(`log backpressure: ${JSON.stringify(report)}\n`);
    expect(report.logBytes).toBeGreaterThanOrEqual(report.expectedBytes);
    expect(report.peakRssMiB).toBeLessThan(600);
  }, 600_000);
});
