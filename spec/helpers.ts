/**
 * Shared helpers for the specs that run real processes: fixture paths, liveness checks read from
 * /proc, polling with an upper bound, and collecting a process's events.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray, type Observable, type Subscription } from 'rxjs';
import { CommandProcess, type CommandProcessOptions } from '../src/process/command-process';
import type { ProcessEvent, ProcessResult, ResultEvent } from '../src/process/types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const patternModule = require('./fixtures/pattern.js') as { pattern(size: number): string };

/** The known pattern `print.js --bytes N` writes. */
export const pattern = patternModule.pattern;

/** The text `split-utf8.js` writes in pieces cut inside '€' and '𝄞'. */
export const SPLIT_TEXT = 'héllo wörld € and 𝄞 日本語\n';

/** Absolute path of a fixture program in spec/fixtures. */
export function fixture(name: string): string {
  return join(__dirname, 'fixtures', name);
}

/** A CommandProcess running `node spec/fixtures/<name> ...args`. */
export function nodeFixture(
  name: string,
  args: readonly string[] = [],
  options: Partial<CommandProcessOptions> = {},
): CommandProcess {
  return new CommandProcess({ command: process.execPath, args: [fixture(name), ...args], ...options });
}

/** The two ways a process can run, for `describe.each`. */
export const MODES = [
  { mode: 'pipe mode', terminal: false },
  { mode: 'terminal mode', terminal: true },
] as const;

/** True while `pid` exists and is not a zombie (an unreaped dead process counts as dead). */
export function isAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  return state !== 'Z' && state !== 'X';
}

/** Pids of the live children of `parent` (read from /proc, so it sees a fork at once). */
export function childPids(parent: number = process.pid): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === parent && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Children of this process that were not among `before`. */
export function newChildren(before: readonly number[]): number[] {
  return childPids().filter((pid) => !before.includes(pid));
}

/** Polls `predicate` every 20 ms until it holds; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 8000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (predicate()) return;
    if (Date.now() > deadline) throw new Error(`waitFor: ${what} still false after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until none of `pids` is alive. */
export function waitForDeath(pids: readonly number[], timeoutMs = 8000): Promise<void> {
  return waitFor(() => pids.every((pid) => !isAlive(pid)), timeoutMs, `pids ${pids.join(', ')} dead`);
}

/** Kills what a test left running on purpose; ignores pids that are gone. */
export function killPids(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Every event of one run. */
export function collect(events$: Observable<ProcessEvent>): Promise<ProcessEvent[]> {
  return lastValueFrom(events$.pipe(toArray()));
}

/** The result event's result, asserting it is the last event. */
export function resultOf(events: readonly ProcessEvent[]): ProcessResult {
  const last = events[events.length - 1] as ResultEvent;
  if (last?.type !== 'result') throw new Error(`last event is ${last?.type}, not a result`);
  return last.result;
}

/** A run in progress: its events so far, and its result once it arrives. */
export interface LiveRun {
  readonly events: ProcessEvent[];
  readonly subscription: Subscription;
  /** Resolves with the result; rejects if the Observable errors or completes without one. */
  readonly result: Promise<ProcessResult>;
  /** stdout text received so far. */
  output(): string;
  /** Waits until the output so far contains `text`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
}

export function startRun(events$: Observable<ProcessEvent>): LiveRun {
  const events: ProcessEvent[] = [];
  let subscription!: Subscription;
  const result = new Promise<ProcessResult>((resolve, reject) => {
    subscription = events$.subscribe({
      next(event) {
        events.push(event);
        if (event.type === 'result') resolve(event.result);
      },
      error: reject,
      complete: () => reject(new Error('completed without a result')),
    });
  });
  // A run that is unsubscribed never settles; keep jest from reporting an unhandled rejection.
  result.catch(() => undefined);
  const output = (): string =>
    events.map((event) => (event.type === 'output' && event.stream === 'stdout' ? event.chunk : '')).join('');
  return {
    events,
    subscription,
    result,
    output,
    waitForOutput: (text, timeoutMs = 10000) => waitFor(() => output().includes(text), timeoutMs, `output has ${text}`),
  };
}

/** A new temporary directory; remove it with `removeDir`. */
export function makeTempDir(prefix = 'rxo-spec-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The pids `grandchildren.js` wrote. */
export interface TreePids {
  readonly child: number;
  readonly holder: number;
  readonly nohup: number;
}

export function readTreePids(file: string): TreePids {
  return JSON.parse(readFileSync(file, 'utf8')) as TreePids;
}

export function allPids(tree: TreePids): number[] {
  return [tree.child, tree.holder, tree.nohup];
}
