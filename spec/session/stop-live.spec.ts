/**
 * stopLiveProcesses (`orchestrate resume --kill-stale`) on real process groups recorded in a
 * processes.tsv: a group that obeys SIGTERM ends on it, one that ignores SIGTERM is killed with
 * SIGKILL once the grace is over, and never before. A short `graceMs` keeps this in a plain run;
 * the CLI's own --kill-stale with the default 5 s grace is in spec/guarantees/resume-safety.spec.ts
 * (RXO_LONG_TESTS=1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveProcesses } from '../../src/session/live-processes';
import { stopLiveProcesses } from '../../src/session/stop-live';
import { fixture, isAlive, killPids, tempDirs } from '../helpers';

const temp = tempDirs('rxo-stop-live-');
const spawned: ChildProcess[] = [];
afterEach(() => killPids(spawned.splice(0).map((child) => child.pid as number)));
afterAll(() => temp.cleanup());

/** Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot. */
function startTime(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

/** A fixture leading its own process group, once it has said it is ready. */
async function groupLeader(name: string, args: string[] = []): Promise<number> {
  const child = spawn(process.execPath, [fixture(name), ...args], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  spawned.push(child);
  if (name === 'ignore-sigterm.js') await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  return child.pid as number;
}

/** A session directory whose processes.tsv records `pids` as still-running groups. */
function sessionWith(pids: Record<string, number>): string {
  const dir = temp.make('session');
  const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
  const lines = Object.entries(pids).map(([id, pid]) => `${id}\t${pid}\t${pid}\t${startTime(pid)}\t${bootId}\t-\n`);
  writeFileSync(join(dir, 'processes.tsv'), `id\tpid\tpgid\tstart_time\tboot_id\tstarted_at\n${lines.join('')}`, { mode: 0o600 });
  return dir;
}

describe('stopLiveProcesses', () => {
  it('ends an obeying group on SIGTERM and SIGKILLs one that ignores it, after the grace', async () => {
    const obeying = await groupLeader('sleep.js', ['120000']);
    const stubborn = await groupLeader('ignore-sigterm.js');
    const live = liveProcesses(sessionWith({ obeying, stubborn }));
    expect(live.map((found) => found.processId).sort()).toEqual(['obeying', 'stubborn']);
    const startedAt = Date.now();
    const outcome = await stopLiveProcesses(live, { graceMs: 400, pollMs: 20 });
    // The stubborn group outlived SIGTERM for the whole grace before SIGKILL ended it.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(400);
    expect(outcome).toEqual({ terminated: 1, killed: 1, survivors: [] });
    expect(isAlive(obeying)).toBe(false);
    expect(isAlive(stubborn)).toBe(false);
  });
});
