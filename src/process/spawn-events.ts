/**
 * The heart of the process layer: one cold Observable per run. Subscribing spawns the child as
 * the leader of its own process group; it emits `start`, the output as it arrives, then one
 * `result` once the child has exited and its output is drained. Timeout and abort stop the
 * whole group (SIGTERM, then SIGKILL after the grace) and still emit a result; unsubscribing
 * stops the group the same way and emits nothing more.
 *
 * Where the lifeline is available (lifeline.ts), it leads the group and `pid` is its pid; it
 * stops the tree when the host dies and catches descendants that left the group.
 *
 * The timeout, the kill grace, the exit grace and the stop's poll run on `request.scheduler`
 * (RxJS `asyncScheduler` by default), so a test can stop a real child on a virtual clock.
 */
import { constants } from 'node:os';
import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { ChildEnd, ChildHandle, ChildSpec } from './spawn/child';
import { trackGroup } from './terminate/host-exit';
import { stopGroup, type GroupStop } from './terminate/kill-group';
import { OutputBuffer } from './buffer/output-buffer';
import type { OutputGate } from './buffer/output-gate';
import { groupAlive } from './terminate/process-groups';
import { startPipeChild } from './spawn/pipe-child';
import { resolveCommand } from './spawn/resolve-command';
import { describeLimit, limitExceeded, limitWrapper, type ResourceLimits } from './spawn/resource-limits';
import { startTerminalChild } from './spawn/terminal-child';
import type { EndReason, OutputStream, ProcessEvent, ProcessResult } from './types';
import { cutAtCodePoint } from './text/code-point-cut';
import { lastNonBlankLine } from './text/last-non-blank-line';

/** Everything one run needs, already validated and with defaults applied. */
export interface SpawnRequest {
  readonly processId: string;
  /** The command as the user gave it (reported in `start` and in logs). */
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly input?: string | Buffer;
  readonly terminal: boolean;
  readonly cols: number;
  readonly rows: number;
  readonly timeoutMs?: number;
  readonly killGraceMs: number;
  readonly exitGraceMs: number;
  readonly killLeftovers: boolean;
  /** Characters of each stream a result keeps (the last ones). */
  readonly maxBuffer: number;
  readonly signal?: AbortSignal;
  /** OS-enforced limits: the command runs under `nice` / `prlimit` (see resource-limits.ts). */
  readonly limits?: ResourceLimits;
  /** While closed, the child's output is not read (backpressure from full sinks). */
  readonly gate?: OutputGate;
  /** Applied to the stderr line quoted in `error` before it is cut (a cut secret no longer matches). */
  readonly redact?: (text: string) => string;
  /** The clock of the timeout and the graces. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** Builds a result for a run that never spawned a process. */
export function unstartedResult(
  processId: string,
  reason: 'spawn-error' | 'not-started' | 'error',
  exitCode: number,
  error: string,
  cancelled = reason === 'not-started',
): ProcessResult {
  return {
    exitCode,
    output: '',
    stderr: '',
    duration: 0,
    processId,
    timedOut: false,
    cancelled,
    signal: null,
    forced: false,
    pid: null,
    startedAt: Date.now(),
    reason,
    error,
    truncated: null,
  };
}

/** The last non-empty line of a text, shortened: a failed process's most telling words. */
function lastLine(text: string, redact: (text: string) => string = (t) => t): string {
  const line = redact(lastNonBlankLine(text).trim());
  return line.length > 300 ? `${cutAtCodePoint(line, 300)}...` : line;
}

function describeEnd(
  end: ChildEnd,
  stoppedFor: 'timeout' | 'cancelled' | undefined,
  forced: boolean,
  request: SpawnRequest,
  stderr: string,
): string | null {
  const how = forced
    ? `it ignored SIGTERM and was killed with SIGKILL after ${request.killGraceMs / 1000} s`
    : 'the process group was stopped';
  if (stoppedFor === 'timeout') return `timed out after ${(request.timeoutMs ?? 0) / 1000} s; ${how}`;
  if (stoppedFor === 'cancelled') return `cancelled; ${how}`;
  const said = lastLine(stderr, request.redact);
  const detail = said ? `: ${said}` : '';
  if (end.signal) return `killed by signal ${end.signal}${detail}`;
  if (end.exitCode !== 0) return `exited with code ${end.exitCode}${detail}`;
  return null;
}

function exitCodeOf(end: ChildEnd, stoppedFor: 'timeout' | 'cancelled' | undefined): number {
  if (stoppedFor === 'timeout') return -1;
  if (end.exitCode !== null) return end.exitCode;
  // Killed by a signal: the shell's convention, 128 + the signal number.
  const number = end.signal ? constants.signals[end.signal] : 0;
  return 128 + (number ?? 0);
}

export function spawnEvents(request: SpawnRequest): Observable<ProcessEvent> {
  return new Observable<ProcessEvent>((subscriber) => {
    const { processId } = request;
    // Protocol v1: each run numbers its events from 0 (sequenced() renumbers only what changed).
    let seq = 0;
    const emitResult = (result: ProcessResult): void => {
      subscriber.next({ type: 'result', processId, result, at: Date.now(), seq: seq++ });
      subscriber.complete();
    };
    if (request.signal?.aborted) {
      emitResult(unstartedResult(processId, 'not-started', 130, 'cancelled before it started'));
      return undefined;
    }
    const file = resolveCommand(request.command, request.cwd, request.env.PATH);
    if (typeof file !== 'string') {
      emitResult(unstartedResult(processId, 'spawn-error', file.exitCode, file.message, false));
      return undefined;
    }
    const wrapper = limitWrapper(request.limits, request.env.PATH);
    if (typeof wrapper === 'string') {
      emitResult(unstartedResult(processId, 'spawn-error', 127, wrapper, false));
      return undefined;
    }

    const startedAt = Date.now();
    const started = performance.now();
    const kept: Record<OutputStream, OutputBuffer> = {
      stdout: new OutputBuffer(request.maxBuffer),
      stderr: new OutputBuffer(request.maxBuffer),
    };
    let stoppedFor: 'timeout' | 'cancelled' | undefined;
    let stop: GroupStop | undefined;
    let ended = false;
    let timeoutTimer: Subscription | undefined;
    const scheduler = request.scheduler ?? asyncScheduler;
    const stopOptions = { graceMs: request.killGraceMs, scheduler };
    let child: ChildHandle | undefined;
    let untrack: (() => void) | undefined;

    const stopFor = (why: 'timeout' | 'cancelled'): void => {
      if (stoppedFor || ended || !child) return;
      stoppedFor = why;
      stop = stopGroup(child.pid, stopOptions);
    };
    const onAbort = (): void => stopFor('cancelled');
    const cleanup = (): void => {
      timeoutTimer?.unsubscribe();
      request.signal?.removeEventListener('abort', onAbort);
      untrack?.();
    };

    const spec: ChildSpec = {
      // With limits, the wrapper execs the command: same pid, same exit status.
      file: wrapper ? wrapper.file : file,
      args: wrapper ? [...wrapper.args, file, ...request.args] : request.args,
      cwd: request.cwd,
      env: request.env,
      input: request.input,
      exitGraceMs: request.exitGraceMs,
      scheduler,
      cols: request.cols,
      rows: request.rows,
      gate: request.gate,
      lifeline: { killGraceMs: request.killGraceMs, keepLeftovers: !request.killLeftovers },
    };
    const failSpawn = (error: unknown): void => {
      ended = true;
      cleanup();
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as NodeJS.ErrnoException)?.code;
      const exitCode = code === 'ENOENT' ? 127 : code === 'EACCES' ? 126 : 1;
      emitResult(unstartedResult(processId, 'spawn-error', exitCode, `could not start ${request.command}: ${message}`, false));
    };

    try {
      const start = request.terminal ? startTerminalChild : startPipeChild;
      child = start(spec, {
        output(stream, chunk, bytes) {
          if (bytes) kept[stream].pushBytes(bytes, chunk.length);
          else kept[stream].pushText(chunk);
          if (chunk) subscriber.next({ type: 'output', processId, stream, chunk, at: Date.now(), seq: seq++ });
        },
        exited() {
          // Leftovers (daemons, servers the command started) end with it unless asked otherwise.
          if (request.killLeftovers && !stop && child && groupAlive(child.pid)) {
            stopGroup(child.pid, stopOptions);
          }
        },
        ended(end) {
          ended = true;
          cleanup();
          const reason: EndReason = stoppedFor ?? (end.signal ? 'signal' : 'exit');
          const stderr = kept.stderr.text();
          const { maxBuffer } = request;
          const truncated =
            kept.stdout.dropped + kept.stderr.dropped > 0
              ? { kept: 'last' as const, maxBuffer, stdoutDropped: kept.stdout.dropped, stderrDropped: kept.stderr.dropped }
              : null;
          const duration = (performance.now() - started) / 1000;
          // What the program said about a refused allocation: stderr, or the terminal's one stream.
          const limit = request.limits
            ? limitExceeded(request.limits, end, stoppedFor !== undefined, request.terminal ? kept.stdout.text() : stderr)
            : null;
          // Known only once a stop is over (`forced`); a limit the process ran into says so first.
          const describe = (): string | null => {
            const error = describeEnd(end, stoppedFor, stop?.forced ?? false, request, stderr);
            return limit && request.limits ? describeLimit(limit, request.limits, error ?? 'ended') : error;
          };
          // A stop in progress is over once no member of the group is left (or SIGKILL was sent):
          // only then is `forced` known. In terminal mode the supervisor may die before the command.
          const finish = (): void => emitResult({
            exitCode: exitCodeOf(end, stoppedFor),
            output: kept.stdout.text(),
            stderr,
            duration,
            processId,
            timedOut: stoppedFor === 'timeout',
            cancelled: stoppedFor === 'cancelled',
            // A forced stop ends the command with SIGKILL even where (terminal mode) the process we
            // watch is the supervisor, which died of the SIGTERM.
            signal: stop?.forced ? 'SIGKILL' : end.signal,
            forced: stop?.forced ?? false,
            pid: child?.pid ?? null,
            startedAt,
            reason,
            error: describe(),
            truncated,
            ...(limit ? { limitExceeded: limit } : {}),
          });
          if (stop) void stop.done.then(finish);
          else finish();
        },
        failed: failSpawn,
      });
    } catch (error) {
      failSpawn(error);
      return undefined;
    }

    if (child.pid > 0 && !ended) {
      untrack = trackGroup(child.pid);
      // Armed before `start` is emitted, so a subscriber reacting to `start` can already abort.
      if (request.timeoutMs !== undefined) timeoutTimer = scheduler.schedule(() => stopFor('timeout'), request.timeoutMs);
      request.signal?.addEventListener('abort', onAbort, { once: true });
      subscriber.next({
        type: 'start',
        processId,
        pid: child.pid,
        command: request.command,
        args: request.args,
        at: startedAt,
        seq: seq++,
      });
    }

    return () => {
      cleanup();
      if (!ended && child && child.pid > 0 && !stop) stopGroup(child.pid, stopOptions);
      child?.release();
    };
  });
}
