/**
 * Shared helpers for every spec: fixture paths, liveness checks read from /proc, polling with an
 * upper bound, temporary directories, sha256, and collecting a process's events. The CLI and
 * strategy specs keep only their own helpers in spec/cli/helpers.ts and spec/strategies/helpers.ts.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray, VirtualTimeScheduler, type Observable, type Subscription } from 'rxjs';
import { STOP_POLL_MS } from '../src/process/terminate/kill-group';
import { groupAlive } from '../src/process/terminate/process-groups';
import { CommandProcess, type CommandProcessOptions } from '../src/runnable/command-process';
import type { ProcessEvent, ProcessResult, ResultEvent } from '../src/process/types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const patternModule = require('./fixtures/pattern.js') as { pattern(size: number): string };

/** The known pattern `print.js --bytes N` writes. */
export const pattern = patternModule.pattern;

/** The text `split-utf8.js` writes in pieces cut inside '€' and '𝄞'. */
export const SPLIT_TEXT = 'héllo wörld € and 𝄞 日本語\n';

/** RXO_LONG_TESTS=1 (CI's run): the specs' heavy repetitions run at full size. */
export const LONG_TESTS = process.env.RXO_LONG_TESTS === '1';

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

/** The fields of /proc/<pid>/stat after the command name (state, ppid, ...); undefined once it is gone. */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The state letter of a process in /proc (R, S, Z, ...), or undefined when it no longer exists. */
function processState(pid: number): string | undefined {
  return statFields(pid)?.[0];
}

/** True while `pid` exists and is not a zombie (an unreaped dead process counts as dead). */
export function isAlive(pid: number): boolean {
  const state = processState(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** Gone or a zombie (a zombie has ended; only its exit status waits to be collected). */
export function isDead(pid: number): boolean {
  return !isAlive(pid);
}

/** Pids of the live children of `parent` (read from /proc, so it sees a fork at once). */
export function childPids(parent: number = process.pid): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields && Number(fields[1]) === parent && fields[0] !== 'Z') pids.push(Number(entry));
  }
  return pids;
}

/** Children of this process that were not among `before`. */
export function newChildren(before: readonly number[]): number[] {
  return childPids().filter((pid) => !before.includes(pid));
}

/**
 * Polls `predicate` every 20 ms until it holds (never sleeping to order events); rejects after
 * `timeoutMs` with a message naming `what` was awaited.
 */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until none of `pids` is alive. */
export function waitForDeath(pids: readonly number[], timeoutMs = 8000): Promise<void> {
  return waitFor(() => pids.every(isDead), `pids ${pids.join(', ')} are dead`, timeoutMs);
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
    waitForOutput: (text, timeoutMs = 10000) => waitFor(() => output().includes(text), `the output has ${text}`, timeoutMs),
  };
}

/**
 * A virtual clock for the waits of a run (`scheduler` option: timeout, kill grace, exit grace, the
 * stop's poll): time moves only when the test advances it, while the processes stay real.
 */
export class VirtualClock extends VirtualTimeScheduler {
  /** Runs, in time order, every action due within the next `ms` virtual milliseconds. */
  advance(ms: number): void {
    const until = this.frame + ms;
    this.maxFrames = until;
    this.flush();
    this.frame = until;
  }
}

/**
 * Lets a stop on `clock` see that group `pgid` has ended: waits in real time until no member is
 * alive, then advances the clock by one poll. Never reaches the kill grace, so the stop is not forced.
 */
export async function pollGroupGone(clock: VirtualClock, pgid: number, timeoutMs = 15_000): Promise<void> {
  await waitFor(() => !groupAlive(pgid), `group ${pgid} has ended`, timeoutMs);
  clock.advance(STOP_POLL_MS);
}

/**
 * Advances `clock` by `stepMs` until `settled` settles, letting real time pass between steps (for a
 * wait armed by a real event, such as the exit grace armed when the child exits).
 */
export async function advanceUntilSettled(clock: VirtualClock, settled: Promise<unknown>, stepMs: number, timeoutMs = 15_000): Promise<void> {
  let done = false;
  settled.then(
    () => (done = true),
    () => (done = true),
  );
  const deadline = Date.now() + timeoutMs;
  while (!done) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms advancing the clock`);
    clock.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The pid in the `start` event of a run (the group leader), once it started. */
export function startPid(run: LiveRun): number {
  const start = run.events.find((event) => event.type === 'start');
  if (start?.type !== 'start') throw new Error('the run has not started');
  return start.pid;
}

/** A new temporary directory; remove it with `removeDir` (or use `tempDirs` to remove many at once). */
export function makeTempDir(prefix = 'rxo-spec-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/**
 * Temp dirs created through `make()`, all removed by `cleanup()` (call it in afterAll/afterEach).
 * `make(label)` names the directory `<prefix><label>-XXXXXX`.
 */
export function tempDirs(prefix = 'rx-orch-spec-'): { make(label?: string): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make(label) {
      const dir = makeTempDir(label === undefined ? prefix : `${prefix}${label}-`);
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) removeDir(dir);
    },
  };
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

/** Live (non-zombie) members of process group `pgid`, read from /proc. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(entry));
    } catch {
      // gone
    }
  }
  return members;
}

/**
 * Specs that need a real component from the system (`redis-server`, `chromium`, `git`): `describe`
 * when it is on PATH; otherwise skipped with a note on a developer's machine, and failed under
 * CI=true (`.ci/run` installs it, so a missing one is a broken CI, never a silent skip).
 */
export function describeWithTool(tool: string, name: string, body: () => void): void {
  const found = toolPath(tool);
  if (found) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${tool}`, () => {
        throw new Error(`${tool} is not on PATH; .ci/run installs it (apt-get install ${tool === 'redis-server' ? 'redis-server' : tool})`);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: ${tool} is not on PATH)`, body);
}

/** The absolute path of an executable on PATH, or undefined. */
export function toolPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
