/**
 * Children go when the host goes. While any process group of ours is alive, the host's `exit`
 * (a normal end, `process.exit`, an uncaught exception) and every asynchronous signal whose
 * default action ends the host (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR2, SIGALRM, SIGXCPU,
 * SIGVTALRM, SIGPWR, SIGSTKFLT, SIGPOLL), when the host has no handler of its own, stop every
 * group: SIGTERM, a short synchronous wait, then SIGKILL for what is left. The signal is then
 * raised again, so the host ends as it would have. With no group alive, no listener is installed.
 *
 * Left to the lifeline (lifeline.ts), which sees the host die whatever the cause: SIGKILL, the OOM
 * killer, abort() and the other signals no JavaScript can safely handle: SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL, SIGABRT, SIGSYS and SIGTRAP (synchronous, or a debugger's), SIGPROF (V8's profiler uses
 * it) and SIGUSR1 (Node's inspector). SIGXFSZ does not end Node (it ignores it).
 */
import { constants } from 'node:os';
import { liveGroups, signalGroup } from './process-groups';

/** How long the host waits for its children to end on SIGTERM before it SIGKILLs them. */
const HOST_EXIT_GRACE_MS = 1000;
const SIGNALS = (
  ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGALRM', 'SIGXCPU', 'SIGVTALRM', 'SIGPWR', 'SIGSTKFLT', 'SIGPOLL'] as const
).filter((name) => name in constants.signals) as NodeJS.Signals[];

const tracked = new Map<number, number>(); // pgid -> how many holders

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Stops every tracked group and waits (synchronously: this runs while the host is exiting). */
export function stopAllGroupsNow(graceMs = HOST_EXIT_GRACE_MS): void {
  const groups = [...tracked.keys()].filter((pgid) => signalGroup(pgid, 'SIGTERM'));
  const deadline = Date.now() + graceMs;
  let alive = groups;
  while (alive.length > 0 && Date.now() < deadline) {
    sleepSync(10);
    const live = liveGroups();
    alive = alive.filter((pgid) => signalGroup(pgid, 0) && (live === undefined || live.has(pgid)));
  }
  for (const pgid of alive) signalGroup(pgid, 'SIGKILL');
}

function onExit(): void {
  stopAllGroupsNow();
}

function onSignal(signal: NodeJS.Signals): void {
  // The host handles this signal itself (the CLI does): leave the children to it.
  if (process.listenerCount(signal) > 1) return;
  stopAllGroupsNow();
  uninstall();
  // End the host the way the signal would have without our listener.
  process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Keeps group `pgid` on the list to stop if the host goes away; call the result to let go. */
export function trackGroup(pgid: number): () => void {
  if (tracked.size === 0) install();
  tracked.set(pgid, (tracked.get(pgid) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const holders = (tracked.get(pgid) ?? 1) - 1;
    if (holders > 0) tracked.set(pgid, holders);
    else tracked.delete(pgid);
    if (tracked.size === 0) uninstall();
  };
}
