/**
 * Reading what a session left on disk (src/session/ writes it): `summary.json`, `plan.json` and
 * one log per process, whose first line names the process (`process "<id>"`). Only plain files
 * directly in the session directory are read; a missing or unreadable file is treated as absent.
 */
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionSummary } from '../session/summary';
import type { SessionPlan } from '../session/plan';

/** A JSON file of the session, or undefined when it is missing, not a plain file or not JSON. */
export function readJsonFile<T>(sessionDir: string, name: string): T | undefined {
  const path = join(sessionDir, name);
  try {
    if (!lstatSync(path).isFile()) return undefined;
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export const readSummary = (sessionDir: string): SessionSummary | undefined => readJsonFile<SessionSummary>(sessionDir, 'summary.json');
export const readSessionPlan = (sessionDir: string): SessionPlan | undefined => readJsonFile<SessionPlan>(sessionDir, 'plan.json');

/** `"a\"b\x1b"` as the logs quote an id, back to its text. */
export function unquote(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_, escape: string) => {
    if (escape.length > 1 && (escape[0] === 'x' || escape[0] === 'u')) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return { n: '\n', r: '\r', t: '\t' }[escape] ?? escape;
  });
}

/** The process logs of a session by process id (read from each log's first line). */
export function processLogs(sessionDir: string): Map<string, string> {
  const logs = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(sessionDir);
  } catch {
    return logs;
  }
  for (const name of names) {
    if (!name.endsWith('.log') || name === 'session.log') continue;
    const path = join(sessionDir, name);
    try {
      if (!lstatSync(path).isFile()) continue;
      const head = firstBytes(path, 4096);
      const match = /^\S+ \w+\s+process "((?:[^"\\]|\\.)*)"/.exec(head);
      if (match) logs.set(unquote(match[1]), path);
    } catch {
      // unreadable: no output for it
    }
  }
  return logs;
}

/** The first `count` bytes of a file, as text. */
function firstBytes(path: string, count: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(count);
    return buffer.subarray(0, readSync(fd, buffer, 0, count, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
