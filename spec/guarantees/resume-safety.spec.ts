/**
 * Guarantee: `orchestrate resume` never runs a job twice at once, never runs a changed plan, and
 * never hangs on a file planted in the session directory. Through the built CLI, real processes.
 *
 * - Stale processes: a CLI run is killed with SIGKILL mid-run. Whatever of it survives (today,
 *   the orphan; once children carry a parent-death lifeline, nothing) is stopped by the spec, and
 *   the spec then records in the session's processes.tsv a process it started itself (with its
 *   real start time: still "ours"), one whose pid is alive but whose start time differs (a reused
 *   pid: never ours) and one that is gone. `resume` refuses with exit 75 naming only the first;
 *   `resume --kill-stale --yes` stops it, leaves the others alone, and runs.
 * - Tampered plans: an injected `bash -c` or `BASH_ENV` is refused (HMAC mismatch), an unsigned
 *   plan needs --trust-plan, an untouched plan needs --yes without a terminal (exit 2 otherwise)
 *   and shows exactly what it will run; on a terminal the user is asked (y runs, n does not,
 *   Ctrl-C at the question ends the CLI with 130).
 * - plan.json, joblog.tsv or processes.tsv replaced by a FIFO: refused at once (exit 2).
 *
 * The killed host, the stale-process refusal, the plan key (read from the CLI's own environment),
 * the terminal questions and the FIFOs spawn the built CLI; the other runs call the CLI in this
 * process (`cli(argv, io)`), the processes they start still real.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { fixture, isAlive, killPids, LONG_TESTS, tempDirs, waitFor } from '../helpers';
import { CLI, destroyRunning, logRoot, onTerminal, printedLogDir, runCli, runCliInProcess, startCli } from '../cli/helpers';
import type { StartEvent } from '../../src/process/types';
import { liveProcesses, recordStart } from '../../src/session/live-processes';

const temp = tempDirs('rxo-guarantee-resume-');
const spawned: ChildProcess[] = [];
afterEach(async () => {
  await destroyRunning();
  killPids(spawned.splice(0).map((child) => child.pid as number));
});
afterAll(() => temp.cleanup());

/** Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot. */
function startTime(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

function bootId(): string {
  return readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
}

/** A sleeper of the spec's own, leading its own process group. */
function sleeper(): number {
  const child = spawn(process.execPath, [fixture('sleep.js'), '120000'], { detached: true, stdio: 'ignore' });
  spawned.push(child);
  return child.pid as number;
}

function sessions(dir: string): string[] {
  // The CLI puts a .gitignore in the log root it creates; only the session directories count here.
  return existsSync(logRoot(dir)) ? readdirSync(logRoot(dir)).filter((name) => name !== '.gitignore').sort() : [];
}

/** A command that waits until `flag` exists: running when the host is killed, quick when resumed. */
const untilFlag = (flag: string): string => `sh -c 'while [ ! -e "$0" ]; do sleep 0.05; done' '${flag}'`;

describe('resume after a killed host', () => {
  it("a record naming another user's live process (start time and all) is never taken for ours", async () => {
    // A forged processes.tsv must not turn --kill-stale into a way to signal someone else's processes.
    if (process.getuid?.() !== 0) return; // starting a process as another user needs root (CI runs as root)
    const dir = temp.make('foreign');
    const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sleep', '120'], { detached: true, stdio: 'ignore' });
    spawned.push(child);
    const pid = child.pid as number;
    await waitFor(() => isAlive(pid) && statSync(`/proc/${pid}`).uid === 65534, 'the foreign sleeper runs as nobody');
    const ownSleeper = sleeper();
    await waitFor(() => isAlive(ownSleeper), 'our sleeper runs');
    const line = (id: string, p: number): string => `${id}\t${p}\t${p}\t${startTime(p)}\t${bootId()}\t${new Date().toISOString()}\n`;
    writeFileSync(join(dir, 'processes.tsv'), `id\tpid\tpgid\tstart_time\tboot_id\tstarted_at\n${line('foreign', pid)}${line('own', ownSleeper)}`, { mode: 0o600 });
    expect(liveProcesses(dir).map((found) => found.processId)).toEqual(['own']);
  });

  it('refuses (exit 75) while a recorded process still runs; --kill-stale stops it, ignores a reused pid, and resumes', async () => {
    const dir = temp.make('stale');
    const flag = join(dir, 'flag');
    const cli = startCli(['sequential', '--json', '--exec', untilFlag(flag), `touch '${join(dir, 'second')}'`, '--working-dir', dir], { cwd: dir });
    await cli.waitFor((c) => c.events().some((event) => event.type === 'start'), 'the first start event');
    const orphan = (cli.events().find((event) => event.type === 'start') as StartEvent).pid;
    const [sessionDir] = sessions(dir).map((name) => join(logRoot(dir), name));
    // processes.tsv holds the start as it happened, before the host is killed.
    await waitFor(() => existsSync(join(sessionDir, 'processes.tsv')) && readFileSync(join(sessionDir, 'processes.tsv'), 'utf8').includes(`\t${orphan}\t`), 'the start is recorded');
    expect(readFileSync(join(sessionDir, 'processes.tsv'), 'utf8').split('\n')[1].split('\t').slice(0, 4)).toEqual(['process_001', String(orphan), String(orphan), String(startTime(orphan))]);
    cli.child.kill('SIGKILL');
    await cli.done;
    // Whatever the killed host left running (the orphan, unless a lifeline already stopped it) goes now,
    // so that what follows does not depend on it.
    try {
      process.kill(-orphan, 'SIGKILL');
    } catch {
      // already gone
    }
    await waitFor(() => !isAlive(orphan), 'the orphan is gone');

    // A live process recorded with its real start time: still the earlier run's.
    const stale = sleeper();
    // A live process whose pid was "reused": recorded start time earlier than its real one.
    const reused = sleeper();
    await waitFor(() => isAlive(stale) && isAlive(reused), 'both sleepers run');
    const line = (id: string, pid: number, ticks: number): string => `${id}\t${pid}\t${pid}\t${ticks}\t${bootId()}\t${new Date().toISOString()}\n`;
    appendFileSync(join(sessionDir, 'processes.tsv'), line('stale-one', stale, startTime(stale)) + line('reused-pid', reused, startTime(reused) - 5));

    const refused = await runCli(['resume', sessionDir, '--yes'], { cwd: dir });
    expect({ code: refused.code, stderr: refused.stderr }).toEqual({
      code: 75,
      stderr: expect.stringContaining(`cannot resume ${sessionDir}: 1 of its processes still run`),
    });
    expect(refused.stderr).toContain(`stale-one: pid ${stale} (group ${stale})`);
    expect(refused.stderr).toContain('--kill-stale');
    expect(refused.stderr).not.toContain('reused-pid');
    expect(refused.stderr).not.toContain('process_001');
    expect(isAlive(stale)).toBe(true);
    expect(sessions(dir)).toHaveLength(1); // nothing was started

    writeFileSync(flag, '');
    const resumed = await runCli(['resume', sessionDir, '--kill-stale', '--yes'], { cwd: dir });
    expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(resumed.stdout).toContain(`Stopping 1 process(es) still running from ${sessionDir}:\n  stale-one: pid ${stale} (group ${stale})`);
    expect(resumed.stdout).toContain('Stopped: 1 on SIGTERM, 0 with SIGKILL.');
    expect(isAlive(stale)).toBe(false);
    expect(isAlive(reused)).toBe(true);
    expect(existsSync(join(dir, 'second'))).toBe(true);
    expect(sessions(dir)).toHaveLength(2);
  });

  // Waits out the real 5 s grace (resume takes no --kill-grace), so it runs with RXO_LONG_TESTS=1;
  // the escalation itself is checked on a virtual clock in spec/process/terminate/kill-group.spec.ts.
  (LONG_TESTS ? it : it.skip)('--kill-stale SIGKILLs a group that ignores SIGTERM, after the grace', async () => {
    const dir = temp.make('stubborn');
    const first = await runCliInProcess(['run', '--exec', 'true', '--working-dir', dir], { cwd: dir });
    const sessionDir = printedLogDir(first.stdout);
    const child = spawn(process.execPath, [fixture('ignore-sigterm.js')], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    spawned.push(child);
    const pid = child.pid as number;
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    // Recorded as a session records a start. Not appended by hand: `true` may have ended before
    // its own start was recorded, and then the first run left no processes.tsv (nor its header).
    recordStart(sessionDir, 'stubborn', pid);
    const resumed = await runCliInProcess(['resume', sessionDir, '--kill-stale', '--yes'], { cwd: dir });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('Stopped: 0 on SIGTERM, 1 with SIGKILL.');
    expect(resumed.stdout).toContain(`Nothing to resume: every planned process of ${sessionDir} succeeded.`);
    expect(isAlive(pid)).toBe(false);
  }, 20_000);
});

/** A finished session whose plan holds `echo`-like commands that mark files when they run. */
async function finishedSession(dir: string): Promise<string> {
  const outcome = await runCliInProcess(['parallel', '--exec', `touch '${join(dir, 'ran')}'`, 'false', '--working-dir', dir, '--quiet'], { cwd: dir });
  expect(outcome.code).toBe(1);
  rmSync(join(dir, 'ran'));
  return printedLogDir(outcome.stdout);
}

function editPlan(sessionDir: string, edit: (plan: { phases: Array<{ processes: Array<{ processId: string; spec: Record<string, unknown> }> }>; integrity?: unknown }) => void): void {
  const path = join(sessionDir, 'plan.json');
  const plan = JSON.parse(readFileSync(path, 'utf8'));
  edit(plan);
  writeFileSync(path, JSON.stringify(plan, null, 2));
}

describe('tampered plans', () => {
  it('an untouched plan: shown exactly, refused without --yes when there is no terminal (exit 2), run with --yes', async () => {
    const dir = temp.make('yes');
    const sessionDir = await finishedSession(dir);
    editPlan(sessionDir, () => undefined); // rewritten, same content: still valid
    const unconfirmed = await runCliInProcess(['resume', sessionDir], { cwd: dir });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain(`Resuming ${sessionDir}: 1 process(es) to run:\n  process_002  (in ${dir})\n    run: false\n`);
    expect(unconfirmed.stderr).toContain('pass --yes to run them (there is no terminal to ask on)');
    expect(sessions(dir)).toHaveLength(1);

    const confirmed = await runCliInProcess(['resume', sessionDir, '--yes'], { cwd: dir });
    expect(confirmed.code).toBe(1); // `false` ran again, and failed again
    expect(confirmed.stdout).toContain('run: false');
    expect(sessions(dir)).toHaveLength(2);
  });

  it.each([
    ['an injected bash -c', (p: { spec: Record<string, unknown> }, dir: string) => Object.assign(p.spec, { command: 'bash', args: ['-c', `touch '${join(dir, 'pwned')}'`] })],
    ['an added BASH_ENV', (p: { spec: Record<string, unknown> }, dir: string) => Object.assign(p.spec, { env: { BASH_ENV: join(dir, 'evil.sh') } })],
    ['a changed working directory', (p: { spec: Record<string, unknown> }) => Object.assign(p.spec, { cwd: '/' })],
  ])('%s is refused (exit 2), even with --yes, and nothing runs', async (_what, tamper) => {
    const dir = temp.make('tamper');
    const sessionDir = await finishedSession(dir);
    editPlan(sessionDir, (plan) => tamper(plan.phases[0].processes[1] as never, dir));
    const outcome = await runCliInProcess(['resume', sessionDir, '--yes', '--trust-plan'], { cwd: dir });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`${join(sessionDir, 'plan.json')} was changed after it was written (or written by another user): its integrity check does not match; refusing to run anything from it`);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(sessions(dir)).toHaveLength(1);
  });

  it('a plan without an integrity check needs --trust-plan', async () => {
    const dir = temp.make('unsigned');
    const sessionDir = await finishedSession(dir);
    editPlan(sessionDir, (plan) => {
      delete plan.integrity;
      plan.phases[0].processes[0].spec.env = { MARK: 'yes' };
    });
    const refused = await runCliInProcess(['resume', sessionDir, '--yes'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('has no integrity check');
    expect(refused.stderr).toContain('--trust-plan');
    const trusted = await runCliInProcess(['resume', sessionDir, '--yes', '--trust-plan'], { cwd: dir });
    expect(trusted.code).toBe(1);
    expect(trusted.stdout).toContain('run: false');
  });

  it('the plan key is made 0600 in a 0700 directory; a key others may read is never used', async () => {
    const dir = temp.make('key');
    const config = join(dir, 'config', 'rx-orchestration');
    // Spawned: the plan key is found through the CLI process's own environment.
    const env = { RXO_CONFIG_DIR: config };
    const first = await runCli(['run', '--exec', 'false', '--working-dir', dir, '--quiet'], { cwd: dir, env });
    expect((statSync(config).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(join(config, 'plan-key')).mode & 0o777).toString(8)).toBe('600');
    expect(statSync(join(config, 'plan-key')).size).toBe(32);
    chmodSync(join(config, 'plan-key'), 0o644);
    const refused = await runCli(['resume', printedLogDir(first.stdout), '--yes'], { cwd: dir, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`key file ${join(config, 'plan-key')} has mode 644; others may read or change it`);
    // A session run meanwhile writes its plan unsigned, and says so in its log.
    const second = await runCli(['run', '--exec', 'false', '--working-dir', dir, '--quiet'], { cwd: dir, env });
    const secondDir = printedLogDir(second.stdout);
    expect(JSON.parse(readFileSync(join(secondDir, 'plan.json'), 'utf8'))).not.toHaveProperty('integrity');
    expect(readFileSync(join(secondDir, 'session.log'), 'utf8')).toContain('plan: written without an integrity check');
  });

  it('shows the environment names a plan changes (never the values), inertly', async () => {
    const dir = temp.make('review');
    const flag = join(dir, 'flag');
    const first = await runCliInProcess(['run', '--exec', untilFlag(flag), '--timeout', '0.2', '--working-dir', dir, '--quiet'], { cwd: dir });
    const sessionDir = printedLogDir(first.stdout);
    // Re-sign is impossible without the key: check the review of a trusted, unsigned, edited plan.
    editPlan(sessionDir, (plan) => {
      delete plan.integrity;
      Object.assign(plan.phases[0].processes[0], { processId: 'evil\x1b]0;pwned\x07' });
      plan.phases[0].processes[0].spec.env = { BASH_ENV: 'secret-value-123', HOME: process.env.HOME as string };
    });
    const outcome = await runCliInProcess(['resume', sessionDir, '--trust-plan'], { cwd: dir, env: { HOME: process.env.HOME } });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('  evil\\x1b]0;pwned\\x07  (in ');
    expect(outcome.stderr).toContain(`    run: sh -c 'while [ ! -e "$0" ]; do sleep 0.05; done' ${flag}\n    environment changed: BASH_ENV\n`);
    expect(outcome.stderr).not.toContain('secret-value-123');
    expect(outcome.stderr).not.toContain('\x1b');
  });
});

describe('on a terminal, resume asks', () => {
  it.each([
    ['y', 1, true],
    ['n', 1, false],
  ])('answering %s', async (answer, code, runs) => {
    const dir = temp.make('ask');
    const sessionDir = await finishedSession(dir);
    const run = onTerminal(['resume', sessionDir, '--no-board'], dir);
    await waitFor(() => run.text().includes('Run these 1 process(es)? [y/N] '), 'the question', 15_000);
    expect(run.text()).toContain('    run: false');
    run.term.write(`${answer}\r`);
    expect((await run.exit).exitCode).toBe(code);
    if (!runs) {
      expect(run.text()).toContain('orchestrate: not resumed; nothing was run');
      expect(sessions(dir)).toHaveLength(1);
    } else {
      expect(run.text()).toMatch(/process_002 +1 +\S+ s +failed: exited with code 1/);
      expect(sessions(dir)).toHaveLength(2);
    }
  });

  it('Ctrl-C at the question ends the CLI (130) without running anything', async () => {
    const dir = temp.make('ask-ctrl-c');
    const sessionDir = await finishedSession(dir);
    const run = onTerminal(['resume', sessionDir], dir);
    await waitFor(() => run.text().includes('[y/N] '), 'the question', 15_000);
    const sentAt = Date.now();
    run.term.write('\x03');
    expect((await run.exit).exitCode).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(3000);
    expect(sessions(dir)).toHaveLength(1);
  });
});

describe('files replaced by a FIFO', () => {
  it.each(['plan.json', 'joblog.tsv', 'processes.tsv'])('%s as a FIFO is refused at once (exit 2), nothing blocks', async (name) => {
    const dir = temp.make('fifo');
    const sessionDir = await finishedSession(dir);
    rmSync(join(sessionDir, name));
    expect(spawnSync('mkfifo', [join(sessionDir, name)]).status).toBe(0);
    // Spawned: a CLI blocked on opening a FIFO must fail this test, not block the jest worker.
    const outcome = await runCli(['resume', sessionDir, '--yes'], { cwd: dir });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`${join(sessionDir, name)} is a FIFO (named pipe), not a regular file; refusing to read it`);
    expect(outcome.elapsedMs).toBeLessThan(15_000); // before: blocked for good (and ignored SIGINT/SIGTERM)
    expect(sessions(dir)).toHaveLength(1);
  });
});
