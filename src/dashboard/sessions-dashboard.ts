/**
 * `sessionsDashboard({ logRoot })`: every session under a log root on one page, a list (pattern
 * or command, start, duration, counts, cost) and each session replayed from its files
 * (`replaySession`) into the same page as a live run. A replay is built when first asked for;
 * the last few are kept (`keepReplays`).
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dashboardDefaults } from '../defaults';
import { createRedactor, secretValues, type Redactor } from '../logging/redact';
import { DashboardFeed } from './dashboard-feed';
import { DashboardServer, type ServeOptions } from './dashboard-server';
import { readSummary } from './session-files';
import { replaySession } from './session-replay';

export interface SessionsDashboardOptions extends Omit<ServeOptions, 'control'> {
  /** The directory holding one directory per session. */
  readonly logRoot: string;
  /** @default the host environment's secrets */
  readonly redact?: Redactor;
  /** Replays kept in memory. @default 4 */
  readonly keepReplays?: number;
}

/** A line of the sessions list (JSON). */
export interface SessionEntry {
  readonly sessionId: string;
  readonly pattern: string;
  readonly startedAt: string | null;
  readonly durationMs: number | null;
  readonly counts: { readonly total: number; readonly succeeded: number; readonly failed: number } | null;
  readonly costUsd: number | null;
}

/** The session directories under `logRoot` (real directories, not links), newest first. */
export function listSessions(logRoot: string, redact: Redactor): SessionEntry[] {
  let names: string[];
  try {
    names = readdirSync(logRoot);
  } catch {
    return [];
  }
  const entries: SessionEntry[] = [];
  for (const name of names) {
    try {
      if (!lstatSync(join(logRoot, name)).isDirectory()) continue;
    } catch {
      continue;
    }
    const summary = readSummary(join(logRoot, name));
    const command = typeof summary?.details?.command === 'string' ? summary.details.command : undefined;
    entries.push({
      sessionId: redact(name),
      pattern: redact(summary ? (command && command !== summary.patternName ? `${summary.patternName} (${command})` : summary.patternName) : '(no summary)'),
      startedAt: summary?.startedAt ?? null,
      durationMs: summary?.durationMs ?? null,
      counts: summary ? { total: summary.counts.total, succeeded: summary.counts.succeeded, failed: summary.counts.failed } : null,
      costUsd: summary?.claude?.costUsd ?? null,
    });
  }
  return entries.sort((a, b) => String(b.startedAt ?? '').localeCompare(String(a.startedAt ?? '')));
}

export function sessionsDashboard(options: SessionsDashboardOptions): DashboardServer {
  const logRoot = resolve(options.logRoot);
  const redact = options.redact ?? createRedactor(secretValues(process.env));
  const keep = options.keepReplays ?? 4;
  const replays = new Map<string, DashboardFeed>();
  const feed = (sessionId?: string): DashboardFeed | undefined => {
    if (sessionId === undefined) return undefined;
    const known = replays.get(sessionId);
    if (known) return known;
    // Only a directory listed under the root: never a path of the client's making.
    if (!listSessions(logRoot, (text) => text).some((entry) => entry.sessionId === sessionId)) return undefined;
    const replay = new DashboardFeed(redact, { outputPerProcess: dashboardDefaults.outputPerProcess, historyChars: dashboardDefaults.historyChars, clientQueueBytes: dashboardDefaults.clientQueueBytes });
    replays.set(sessionId, replay);
    while (replays.size > keep) {
      const [oldest, dropped] = replays.entries().next().value as [string, DashboardFeed];
      dropped.closeAll();
      replays.delete(oldest);
    }
    void replaySession(join(logRoot, sessionId), (event) => replay.push(event)).catch(() => undefined).finally(() => replay.end());
    return replay;
  };
  return new DashboardServer({ mode: 'sessions', feed, sessions: () => listSessions(logRoot, redact), closeAll: () => replays.forEach((replay) => replay.closeAll()) }, options);
}
