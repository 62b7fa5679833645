/**
 * The forced stop signals only what still runs: a retry's new start replaces the attempt before
 * it, so the pid of an ended attempt (which the system may have handed to someone else) is never
 * signalled. Real process groups (`detached` children lead their own).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ForceKill } from '../../src/orchestrator/stopper';
import type { ProcessEvent } from '../../src/index';
import { isAlive, waitFor } from '../helpers';

const leaders: ChildProcess[] = [];
afterAll(() => {
  for (const child of leaders) if (child.pid && isAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
});

function leader(): number {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  leaders.push(child);
  return child.pid!;
}

const start = (processId: string, pid: number): ProcessEvent => ({ type: 'start', processId, pid, command: 'sleep', args: ['30'], at: 0 });

describe('ForceKill', () => {
  it("SIGKILLs the running attempt's group, never an earlier attempt's pid", async () => {
    const earlier = leader();
    const current = leader();
    const killer = new ForceKill();
    killer.follow(start('job', earlier)); // attempt 1: its result was swallowed by retry
    killer.follow(start('job', current)); // attempt 2
    expect(killer.size).toBe(1);
    killer.killAll();
    await waitFor(() => !isAlive(current), 'the current attempt to end', 5000);
    expect(isAlive(earlier)).toBe(true);
  });
});
