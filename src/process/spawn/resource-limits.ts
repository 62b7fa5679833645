/**
 * Per-process resource limits enforced by the operating system: memory and CPU time through
 * setrlimit (util-linux `prlimit` runs the command with the limits set, then execs it), and a
 * niceness through `nice`. Both wrappers exec the command, so it keeps the pid the orchestrator
 * watches and its own exit status; nothing goes through a shell.
 *
 * - `memoryMb` sets RLIMIT_DATA: the process's heap and private writable mappings. (RLIMIT_AS,
 *   the address space, stops Node and other runtimes that reserve large address ranges from even
 *   starting.) The kernel then refuses allocations; it does not kill.
 * - `cpuSeconds` sets RLIMIT_CPU soft to N and hard to N + 1: the kernel sends SIGXCPU after N
 *   seconds of CPU time and SIGKILL at N + 1 if the process survived that.
 * - Limits apply to each process of the tree separately (children inherit them).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { invalidOption } from '../../validate';
import type { ChildEnd } from './child';
import { searchPath } from './resolve-command';

/** Limits for one process, enforced by the kernel. */
export interface ResourceLimits {
  /** Most memory, in MiB, the process may allocate (RLIMIT_DATA). @default unlimited */
  readonly memoryMb?: number;
  /** Most CPU time, in whole seconds (RLIMIT_CPU: SIGXCPU at N, SIGKILL at N + 1). @default unlimited */
  readonly cpuSeconds?: number;
  /** Niceness from -20 (first) to 19 (last); below the current one needs privileges. @default the host's */
  readonly nice?: number;
}

/** Which limit a process ran into. */
export type LimitKind = 'memory' | 'cpu';

/** The wrapper that runs a command under its limits: `file ...args <command> <args>`. */
export interface LimitWrapper {
  readonly file: string;
  readonly args: readonly string[];
}

/** Validates `limits`; throws a TypeError naming the bad field and value. */
export function checkLimits(limits: unknown): ResourceLimits | undefined {
  if (limits === undefined) return undefined;
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    throw invalidOption('limits', 'an object like { memoryMb, cpuSeconds, nice }', limits);
  }
  const { memoryMb, cpuSeconds, nice, ...rest } = limits as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw invalidOption(`limits.${unknown[0]}`, 'one of memoryMb, cpuSeconds, nice', rest[unknown[0]]);
  if (memoryMb !== undefined && (typeof memoryMb !== 'number' || !Number.isFinite(memoryMb) || memoryMb <= 0)) {
    throw invalidOption('limits.memoryMb', 'a finite number of MiB greater than 0', memoryMb);
  }
  if (cpuSeconds !== undefined && (typeof cpuSeconds !== 'number' || !Number.isInteger(cpuSeconds) || cpuSeconds <= 0)) {
    throw invalidOption('limits.cpuSeconds', 'a positive whole number of seconds', cpuSeconds);
  }
  if (nice !== undefined && (typeof nice !== 'number' || !Number.isInteger(nice) || nice < -20 || nice > 19)) {
    throw invalidOption('limits.nice', 'an integer from -20 to 19', nice);
  }
  return limits as ResourceLimits;
}

function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of searchPath(pathVariable).split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The wrapper for `limits`, looked up on `pathVariable` (the PATH the command itself is found on);
 * null when no limit is set; an error message when a needed tool is missing.
 */
export function limitWrapper(limits: ResourceLimits | undefined, pathVariable: string | undefined): LimitWrapper | string | null {
  if (!limits) return null;
  const parts: string[] = [];
  if (limits.nice !== undefined) {
    const nice = findOnPath('nice', pathVariable);
    if (!nice) return 'a niceness was asked for but `nice` (coreutils) was not found on PATH; the process was not started';
    parts.push(nice, '-n', String(limits.nice), '--');
  }
  if (limits.memoryMb !== undefined || limits.cpuSeconds !== undefined) {
    const prlimit = findOnPath('prlimit', pathVariable);
    if (!prlimit) return 'memory and CPU limits need `prlimit` (util-linux), which was not found on PATH; the process was not started';
    parts.push(prlimit);
    if (limits.memoryMb !== undefined) parts.push(`--data=${Math.floor(limits.memoryMb * 1024 * 1024)}`);
    if (limits.cpuSeconds !== undefined) parts.push(`--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`);
    parts.push('--');
  }
  if (parts.length === 0) return null;
  return { file: parts[0], args: parts.slice(1) };
}

/** Words runtimes and tools print when an allocation is refused (Node, Python, C++, libc, awk, dash). */
const OUT_OF_MEMORY = /out of memory|MemoryError|Cannot allocate memory|std::bad_alloc|Allocation failed|ENOMEM|Out of space/i;

/**
 * Which limit ended a run, by these rules:
 * - CPU: a CPU limit was set and the process was killed by SIGXCPU (the soft limit), or by a
 *   SIGKILL the orchestrator did not send (the kernel's, at the hard limit).
 * - Memory: a memory limit was set, the process ended abnormally (non-zero exit or a signal), and
 *   the tail of its output says an allocation failed (`out of memory`, `MemoryError`,
 *   `Cannot allocate memory`, `std::bad_alloc`, ...): with rlimits the kernel refuses memory
 *   instead of killing, so what the program says is the evidence.
 */
export function limitExceeded(limits: ResourceLimits | undefined, end: ChildEnd, stoppedByUs: boolean, text: string): LimitKind | null {
  if (!limits || stoppedByUs) return null;
  if (limits.cpuSeconds !== undefined && (end.signal === 'SIGXCPU' || end.signal === 'SIGKILL')) return 'cpu';
  const abnormal = end.signal !== null || end.exitCode !== 0;
  if (limits.memoryMb !== undefined && abnormal && OUT_OF_MEMORY.test(text.slice(-8192))) return 'memory';
  return null;
}

/** The result's `error` for a run that hit a limit. */
export function describeLimit(kind: LimitKind, limits: ResourceLimits, how: string): string {
  return kind === 'cpu'
    ? `exceeded its CPU time limit of ${limits.cpuSeconds} s (${how})`
    : `exceeded its memory limit of ${limits.memoryMb} MiB (${how})`;
}
