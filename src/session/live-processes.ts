/**
 * The session's record of every process it started (`processes.tsv`), and what `resume` makes of
 * it: which of an earlier session's processes still run, and stopping them.
 *
 * One line per start, appended as it happens (mode 0600): the process id, the pid of the process
 * that leads its group, that group's id, the process's start time (field 22 of /proc/<pid>/stat,
 * in clock ticks since boot) and the boot id. A pid alone proves nothing once its process ended
 * (the pid may be reused); pid, start time and boot id together name one process.
 *
 * A recorded process counts as still running when:
 * - its pid exists, is not a zombie, and has the recorded start time (same boot); or
 * - its pid is gone, but processes of your user remain in its group, started no earlier than it
 *   (descendants left behind when the leader ended). A live pid with another start time means the
 *   pid was reused: the kernel reuses a pid only once no process is left in the group it led, so
 *   that group is not ours any more and is ignored.
 * Linux only (/proc); elsewhere nothing is found.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessLogSink, RunLog } from '../logging/log-sink';
import { writeAll, type LogDirectory } from '../logging/log-directory';
import { readRegularFile } from './regular-file';
import { escapeField, unescapeField } from './job-log';

export const PROCESSES_FILE = 'processes.tsv';
const COLUMNS = ['id', 'pid', 'pgid', 'start_time', 'boot_id', 'started_at'] as const;

/** One recorded start. */
export interface RecordedProcess {
  readonly processId: string;
  readonly pid: number;
  readonly pgid: number;
  /** Clock ticks since boot (field 22 of /proc/<pid>/stat). */
  readonly startTime: number;
  readonly bootId: string;
}

/** A recorded process found still running: the recorded leader itself, or members left in its group. */
export interface LiveProcess extends RecordedProcess {
  /** Pids still running in the group (the leader first when it runs). */
  readonly running: readonly number[];
}

interface ProcStat {
  readonly state: string;
  readonly pgid: number;
  readonly startTime: number;
}

function procStat(pid: number | string): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], pgid: Number(fields[2]), startTime: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

let bootIdCache: string | undefined;
function bootId(): string {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
    } catch {
      bootIdCache = '-';
    }
  }
  return bootIdCache;
}

/**
 * Appends one line to `<directory>/processes.tsv` (created 0600, with a header; never through a
 * symlink). A session passes its opened `LogDirectory`, so the file goes where the directory's
 * descriptor points even if its path was swapped for a symlink.
 */
export function recordStart(directory: string | LogDirectory, processId: string, pid: number): void {
  const stat = procStat(pid);
  if (!stat) return; // already gone and reaped: nothing of it can outlive us
  let fd: number;
  let line = `${[escapeField(processId), pid, stat.pgid, stat.startTime, bootId(), new Date().toISOString()].join('\t')}\n`;
  if (typeof directory !== 'string') {
    fd = directory.openAppend(PROCESSES_FILE);
    try {
      if (fstatSync(fd).size === 0) line = `${COLUMNS.join('\t')}\n${line}`;
      writeAll(fd, line);
    } finally {
      closeSync(fd);
    }
    return;
  }
  const path = join(directory, PROCESSES_FILE);
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW | constants.O_CREAT | constants.O_EXCL, 0o600);
    line = `${COLUMNS.join('\t')}\n${line}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
  }
  try {
    writeSync(fd, line);
  } finally {
    closeSync(fd);
  }
}

/**
 * Wraps a log sink so that every `start` event (each attempt of each process) is recorded in
 * `<directory>/processes.tsv` as it happens. A failure to record is reported once through `onError`.
 */
export function recordingStarts(sink: ProcessLogSink, directory: string | LogDirectory, options: { redact?: (text: string) => string; onError?: (error: Error) => void } = {}): ProcessLogSink {
  let reported = false;
  return {
    open(header) {
      const log = sink.open(header);
      const recording: RunLog = {
        record(event) {
          if (event.type === 'start') {
            try {
              recordStart(directory, options.redact ? options.redact(event.processId) : event.processId, event.pid);
            } catch (error) {
              if (!reported) options.onError?.(error as Error);
              reported = true;
            }
          }
          log.record(event);
        },
        close: (result) => log.close(result),
      };
      return recording;
    },
  };
}

/** The starts recorded in a session directory (none when it has no `processes.tsv`). */
export function readRecordedProcesses(sessionDir: string): RecordedProcess[] {
  const path = join(sessionDir, PROCESSES_FILE);
  let text: string;
  try {
    text = readRegularFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const [header, ...lines] = text.split('\n');
  if (header !== COLUMNS.join('\t')) throw new Error(`${path} is not a process record: its header is ${JSON.stringify(header.slice(0, 80))}`);
  const recorded: RecordedProcess[] = [];
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    const fields = line.split('\t');
    const [pid, pgid, startTime] = [Number(fields[1]), Number(fields[2]), Number(fields[3])];
    if (fields.length !== COLUMNS.length || ![pid, pgid, startTime].every((n) => Number.isSafeInteger(n) && n > 0)) {
      throw new Error(`${path}: line ${index + 2} is not a process-record line`);
    }
    recorded.push({ processId: unescapeField(fields[0]), pid, pgid, startTime, bootId: fields[4] });
  }
  return recorded;
}

/** Whether process `pid` belongs to the user running this code (a record never names another user's process as ours). */
function ownedByUs(pid: number | string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true;
  try {
    return statSync(`/proc/${pid}`).uid === uid;
  } catch {
    return false;
  }
}

/** Pids of your user's live processes in group `pgid` that started at `startTime` or later. */
function groupMembers(pgid: number, startTime: number): number[] {
  const members: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (!stat || stat.pgid !== pgid || stat.state === 'Z' || stat.state === 'X' || stat.startTime < startTime) continue;
    if (ownedByUs(entry)) members.push(Number(entry));
  }
  return members.sort((a, b) => a - b);
}

/** Whether one recorded process (or what it left in its group) still runs: the pids, or none. */
export function stillRunning(recorded: RecordedProcess): number[] {
  if (recorded.bootId !== bootId()) return []; // recorded before a reboot: nothing of it runs
  const stat = procStat(recorded.pid);
  if (stat && stat.state !== 'Z' && stat.state !== 'X') {
    if (stat.startTime !== recorded.startTime || !ownedByUs(recorded.pid)) return []; // pid reused, or another user's: not ours
    const others = groupMembers(recorded.pgid, recorded.startTime).filter((pid) => pid !== recorded.pid);
    return stat.pgid === recorded.pgid ? [recorded.pid, ...others] : [recorded.pid];
  }
  if (stat && stat.startTime !== recorded.startTime) return []; // a zombie of a reused pid
  return groupMembers(recorded.pgid, recorded.startTime);
}

/**
 * The recorded processes of an earlier session that still run (one entry per distinct group).
 *
 * @example
 * ```ts
 * import { liveProcesses, stopLiveProcesses } from 'rx-orchestration/toolkit';
 * const live = liveProcesses('.claude/runtime/logs/cli-parallel_20250101-120000_abcd1234');
 * for (const found of live) console.log(found.processId, found.running);
 * await stopLiveProcesses(live, { graceMs: 2000 });
 * ```
 */
export function liveProcesses(sessionDir: string): LiveProcess[] {
  const seen = new Set<string>();
  const live: LiveProcess[] = [];
  for (const recorded of readRecordedProcesses(sessionDir)) {
    const key = `${recorded.pid}:${recorded.startTime}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const running = stillRunning(recorded);
    if (running.length > 0) live.push({ ...recorded, running });
  }
  return live;
}
