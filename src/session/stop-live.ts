/**
 * Stopping an earlier session's processes that still run (`orchestrate resume --kill-stale`):
 * SIGTERM to each group, up to a grace period for them to end, then SIGKILL to what is left.
 * Before each signal the process is checked again (pid, start time, group), so a pid that ended
 * and was reused in the meantime is never signalled.
 */
import { defaults } from '../defaults';
import { stillRunning, type LiveProcess } from './live-processes';

export interface StopLiveOptions {
  /** Milliseconds between SIGTERM and SIGKILL. @default defaults.killGraceMs */
  readonly graceMs?: number;
  /** Milliseconds between checks. @default 50 */
  readonly pollMs?: number;
  /** Stops waiting (the processes may be left after SIGTERM). */
  readonly signal?: AbortSignal;
}

/** What stopping found: how many groups ended on SIGTERM, how many needed SIGKILL, pids that outlived both. */
export interface StopLiveOutcome {
  readonly terminated: number;
  readonly killed: number;
  readonly survivors: readonly number[];
}

function signalGroup(live: LiveProcess, signal: NodeJS.Signals): void {
  const running = stillRunning(live);
  if (running.length === 0) return;
  try {
    process.kill(-live.pgid, signal);
  } catch {
    // The group is gone, or the leader left it: signal the pids found instead.
    for (const pid of running) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Waits until none of `processes` runs, the deadline passes, or `signal` aborts; returns those still running. */
async function waitGone(processes: readonly LiveProcess[], deadline: number, pollMs: number, signal?: AbortSignal): Promise<LiveProcess[]> {
  let left = processes.filter((live) => stillRunning(live).length > 0);
  while (left.length > 0 && Date.now() < deadline && !signal?.aborted) {
    await pause(Math.min(pollMs, Math.max(1, deadline - Date.now())), signal);
    left = left.filter((live) => stillRunning(live).length > 0);
  }
  return left;
}

/**
 * Stops every group in `processes` (SIGTERM, grace, SIGKILL).
 *
 * @example
 * ```ts
 * import { liveProcesses, stopLiveProcesses } from 'rx-orchestration/toolkit';
 * const outcome = await stopLiveProcesses(liveProcesses('.claude/runtime/logs/my-session'));
 * console.log(outcome.terminated, outcome.killed, outcome.survivors);
 * ```
 */
export async function stopLiveProcesses(processes: readonly LiveProcess[], options: StopLiveOptions = {}): Promise<StopLiveOutcome> {
  const graceMs = options.graceMs ?? defaults.killGraceMs;
  const pollMs = options.pollMs ?? 50;
  for (const live of processes) signalGroup(live, 'SIGTERM');
  const stubborn = await waitGone(processes, Date.now() + graceMs, pollMs, options.signal);
  if (options.signal?.aborted) return { terminated: processes.length - stubborn.length, killed: 0, survivors: stubborn.flatMap(stillRunning) };
  for (const live of stubborn) signalGroup(live, 'SIGKILL');
  const survivors = await waitGone(stubborn, Date.now() + 2000, pollMs, options.signal);
  return { terminated: processes.length - stubborn.length, killed: stubborn.length - survivors.length, survivors: survivors.flatMap(stillRunning) };
}
