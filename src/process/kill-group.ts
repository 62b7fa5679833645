/**
 * Stops a whole process group: SIGTERM now, SIGKILL once the grace period has passed if a
 * member is still alive. The escalation runs on its own timer, so it goes on after the
 * subscriber that asked for it has gone.
 *
 * "Alive" ignores zombies: descendants re-parented to an init that reaps slowly (as in many
 * containers) would otherwise look alive until the grace ran out. One shared poll serves every
 * stop in progress, reading /proc once per tick on Linux.
 */
import { readdirSync, readFileSync } from 'node:fs';

const POLL_MS = 25;

/** Sends `signal` to every process in group `pgid`; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  // A pgid of 0 or 1 would address our own group or every process: never.
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Process groups that have at least one member that is not a zombie, read from /proc. */
function liveGroups(): Set<number> | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const groups = new Set<number>();
  for (const entry of entries) {
    if (entry.charCodeAt(0) > 57) continue; // not a pid
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && fields[0] !== 'X') groups.add(Number(fields[2]));
  }
  return groups;
}

/** True while group `pgid` has a member that is not a zombie. */
export function groupAlive(pgid: number, live: Set<number> | undefined = undefined): boolean {
  if (!signalGroup(pgid, 0)) return false;
  const groups = live ?? liveGroups();
  return groups === undefined ? true : groups.has(pgid);
}

/** A stop in progress. `forced` turns true at the moment SIGKILL is sent. */
export interface GroupStop {
  readonly forced: boolean;
  /** Resolves once no member is alive or SIGKILL was sent. */
  readonly done: Promise<void>;
}

interface PendingStop {
  readonly pgid: number;
  readonly deadline: number;
  readonly state: { forced: boolean };
  readonly resolve: () => void;
}

const pending = new Set<PendingStop>();
let poller: NodeJS.Timeout | undefined;

function poll(): void {
  const live = liveGroups();
  const now = Date.now();
  for (const stop of pending) {
    if (!groupAlive(stop.pgid, live)) {
      pending.delete(stop);
      stop.resolve();
    } else if (now >= stop.deadline) {
      stop.state.forced = true;
      signalGroup(stop.pgid, 'SIGKILL');
      pending.delete(stop);
      stop.resolve();
    }
  }
  if (pending.size === 0 && poller) {
    clearInterval(poller);
    poller = undefined;
  }
}

export function stopGroup(pgid: number, graceMs: number): GroupStop {
  const state = { forced: false };
  const done = new Promise<void>((resolve) => {
    if (!signalGroup(pgid, 'SIGTERM')) {
      resolve();
      return;
    }
    pending.add({ pgid, deadline: Date.now() + graceMs, state, resolve });
    poller ??= setInterval(poll, Math.min(POLL_MS, Math.max(1, graceMs)));
  });
  return {
    get forced() {
      return state.forced;
    },
    done,
  };
}
