/**
 * Guarantee: the host going away takes its children with it. A host program
 * (spec/fixtures/guarantee-host.js, using the built library in dist/) runs a tree with `&` and
 * `nohup` grandchildren and a child that ignores SIGTERM and SIGHUP, in pipe and in terminal mode,
 * then ends itself: process.exit(3), an uncaught exception, an unhandled rejection, or SIGINT,
 * SIGTERM or SIGHUP with no handler of its own. Each time the host ends as that way implies
 * (3, 1, 1, or killed by the signal) and within 5 s no process of the tree, and no member of its
 * process group, is alive. A host with its OWN SIGINT handler keeps control: its children are left
 * alone on SIGINT, and go once the host exits.
 *
 * Not covered, and cannot be: SIGKILL of the host. No code runs in a process killed with SIGKILL,
 * so its children are left running (README, "Limits worth knowing").
 * The host's natural end (the event loop emptying) does not apply: a live child keeps the loop busy.
 *
 * Each host waits out the library's 1 s exit grace (the tree's trapper ignores SIGTERM), so a plain
 * run ends the host each of the six ways in one mode, alternating (each mode sees an exit code, a
 * crash and a signal), and the own-SIGINT host in both; RXO_LONG_TESTS=1 (CI) runs every way in
 * both modes, three hosts at once.
 *
 * Needs `npm run build` first (the host requires dist/index.js).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fixture, groupMembers, isAlive, isDead, killPids, LONG_TESTS as LONG, makeTempDir, removeDir, waitFor } from '../helpers';

/** Hosts started at once for each way of ending. */
const ROUNDS = LONG ? 3 : 1;
const GONE_WITHIN_MS = 5000;

interface Report {
  readonly host: number;
  readonly group: number;
  readonly tree: { leader: number; middle: number; nohup: number; background: number; trapper: number };
}

/** Every pid of a report but the middle `sh`, which exits on its own once the tree is built. */
function livePids(report: Report): number[] {
  const { leader, nohup, background, trapper } = report.tree;
  return [leader, nohup, background, trapper];
}

interface Host {
  readonly child: ChildProcess;
  /** Resolves with the host's JSON report. */
  readonly report: Promise<Report>;
  /** Resolves with how the host ended. */
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

function startHost(mode: string, kind: 'pipe' | 'terminal', pidFile: string): Host {
  const child = spawn(process.execPath, [fixture('guarantee-host.js'), mode, kind, pidFile], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (data: Buffer) => (err += data.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveEnd) =>
    child.once('exit', (code, signal) => resolveEnd({ code, signal })),
  );
  const report = new Promise<Report>((resolveReport, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      out += data.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0 && out.startsWith('{')) resolveReport(JSON.parse(out.slice(0, newline)) as Report);
    });
    void ended.then(({ code, signal }) => reject(new Error(`host ended (${code ?? signal}) before reporting: ${out} ${err}`)));
  });
  report.catch(() => undefined);
  return { child, report, ended, stdout: () => out, stderr: () => err };
}

/** `plain`: the one mode a plain run ends the host this way in (RXO_LONG_TESTS=1: both). */
const ENDINGS = [
  { mode: 'exit', how: 'process.exit(3)', ends: 'with exit code 3', code: 3, signal: null, plain: 'pipe' },
  { mode: 'throw', how: 'an uncaught exception', ends: 'with exit code 1', code: 1, signal: null, plain: 'terminal' },
  { mode: 'reject', how: 'an unhandled promise rejection', ends: 'with exit code 1', code: 1, signal: null, plain: 'pipe' },
  { mode: 'sigint', how: 'SIGINT with no handler of its own', ends: 'killed by SIGINT (130)', code: null, signal: 'SIGINT', plain: 'terminal' },
  { mode: 'sigterm', how: 'SIGTERM with no handler of its own', ends: 'killed by SIGTERM (143)', code: null, signal: 'SIGTERM', plain: 'pipe' },
  { mode: 'sighup', how: 'SIGHUP with no handler of its own', ends: 'killed by SIGHUP (129)', code: null, signal: 'SIGHUP', plain: 'terminal' },
] as const;

describe.each(['pipe', 'terminal'] as const)('the host going away takes its children with it, %s mode', (kind) => {
  let dir: string;
  let counter = 0;
  let leftovers: number[] = [];
  let hosts: ChildProcess[] = [];
  const pidFile = (): string => join(dir, `tree-${(counter += 1)}.json`);

  beforeAll(() => {
    if (!existsSync(resolve(__dirname, '..', '..', 'dist', 'index.js'))) {
      throw new Error('dist/index.js is missing: run `npm run build` before this spec');
    }
    dir = makeTempDir('rxo-guarantee-host-');
  });
  afterEach(() => {
    for (const host of hosts.splice(0)) if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
    killPids(leftovers);
    leftovers = [];
  });
  afterAll(() => removeDir(dir));

  it.each(ENDINGS.filter((ending) => LONG || ending.plain === kind))('$how: the host ends $ends and within 5 s no process of its tree is alive', async ({ mode, code, signal }) => {
    const started = Array.from({ length: ROUNDS }, () => startHost(mode, kind, pidFile()));
    hosts.push(...started.map((host) => host.child));
    const reports = await Promise.all(started.map((host) => host.report));
    const pids = reports.flatMap(livePids);
    leftovers = pids;
    const groups = reports.map((report) => report.group);
    const ends = await Promise.all(started.map((host) => host.ended));
    const endedAt = Date.now();
    for (const end of ends) expect(end).toEqual({ code, signal });
    await waitFor(
      () => pids.every(isDead) && groups.every((pgid) => groupMembers(pgid).length === 0),
      `no process of the trees (${pids.join(', ')}) is alive`,
      GONE_WITHIN_MS,
    );
    // The host stops its children before it goes: they are gone at once, not only eventually.
    expect(Date.now() - endedAt).toBeLessThan(GONE_WITHIN_MS);
    if (mode === 'throw') for (const host of started) expect(host.stderr()).toContain('thrown on purpose');
    if (mode === 'reject') for (const host of started) expect(host.stderr()).toContain('rejected on purpose');
  });

  it('a host with its own SIGINT handler keeps control: its children survive SIGINT, and go when it then exits', async () => {
    const host = startHost('own-sigint', kind, pidFile());
    hosts.push(host.child);
    const report = await host.report;
    const pids = livePids(report);
    leftovers = pids;
    expect(pids.filter(isDead)).toEqual([]);

    host.child.kill('SIGINT');
    await waitFor(() => host.stdout().includes('handled SIGINT\n'), 'the host handled SIGINT', 10_000);
    // The library left them alone: every one is running, and the host too.
    expect(pids.filter(isDead)).toEqual([]);
    expect(groupMembers(report.group).length).toBeGreaterThan(0);
    expect(isAlive(report.host)).toBe(true);

    host.child.stdin!.write('exit\n');
    expect(await host.ended).toEqual({ code: 0, signal: null });
    await waitFor(
      () => pids.every(isDead) && groupMembers(report.group).length === 0,
      `no process of the tree (${pids.join(', ')}) is alive`,
      GONE_WITHIN_MS,
    );
  });
});
