/**
 * Facts about process groups: signalling a whole group, and which groups still have a live
 * (non-zombie) member. Zombies are ignored: descendants re-parented to an init that reaps slowly
 * (as in many containers) would otherwise look alive.
 */
import { readdirSync, readFileSync } from 'node:fs';

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
export function liveGroups(): Set<number> | undefined {
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
