/**
 * Halt policies, as GNU parallel's `--halt`: stop a parallel or batched run early once enough
 * processes have failed (or succeeded, or ended). `soon` starts nothing more and lets the running
 * processes finish; `now` also stops the running ones.
 */
import type { ProcessResult } from '../process/types';
import { invalidOption } from '../validate';

/** A result of a run under a halt policy: `halted` says the halt stopped it or kept it from starting. */
export interface HaltedResult extends ProcessResult {
  /** True when the halt stopped this run or kept it from starting; absent otherwise. */
  readonly halted?: boolean;
}

/**
 * True when a halt stopped this run or kept it from starting (`result.halted`).
 *
 * @example
 * ```ts
 * import { CommandProcess, runParallel } from 'rx-orchestration';
 * import { wasHalted } from 'rx-orchestration/toolkit';
 * const jobs = ['false', 'true'].map((cmd, i) => new CommandProcess({ command: cmd, processId: `job-${i}` }));
 * const results = await runParallel(jobs, { maxWorkers: 1, halt: { when: 'soon', fail: 1 } });
 * console.log(results.map(wasHalted)); // [ false, true ]
 * ```
 */
export function wasHalted(result: ProcessResult): boolean {
  return (result as HaltedResult).halted === true;
}

/** A number of processes (`3`) or a share of all submitted processes (`'30%'`). */
export type HaltThreshold = number | `${number}%`;

export interface HaltPolicy {
  /** `soon`: nothing new starts, running processes finish; `now`: running processes are stopped too. Required. */
  readonly when: 'now' | 'soon';
  /** Halt once this many processes (or this share of all of them) have failed. @default none */
  readonly fail?: HaltThreshold;
  /** Halt once this many processes (or this share of all of them) have succeeded. @default none */
  readonly success?: HaltThreshold;
  /** Halt once this many processes (or this share of all of them) have ended, however. @default none */
  readonly done?: HaltThreshold;
}

/** Which count a policy watches. */
export type HaltCondition = 'fail' | 'success' | 'done';

const CONDITIONS: readonly HaltCondition[] = ['fail', 'success', 'done'];

/** The condition a (valid) policy watches and its threshold. */
export function haltCondition(policy: HaltPolicy): { condition: HaltCondition; threshold: HaltThreshold } {
  const condition = CONDITIONS.find((name) => policy[name] !== undefined) ?? 'fail';
  return { condition, threshold: policy[condition] as HaltThreshold };
}

/** True when the policy's threshold is a percentage (it needs the total number of processes). */
export function needsTotal(policy: HaltPolicy): boolean {
  return typeof haltCondition(policy).threshold === 'string';
}

/**
 * How many processes meeting the condition trigger the halt: N itself, or for `P%`,
 * `ceil(P / 100 * total)` (at least 1) of the `total` processes submitted.
 */
export function haltLimit(policy: HaltPolicy, total: number): number {
  const { threshold } = haltCondition(policy);
  if (typeof threshold === 'number') return threshold;
  return Math.max(1, Math.ceil((parseFloat(threshold) / 100) * total - 1e-9));
}

/** Whether a result counts towards the condition. */
export function countsTowards(condition: HaltCondition, result: ProcessResult): boolean {
  if (condition === 'done') return true;
  return condition === 'success' ? result.exitCode === 0 : result.exitCode !== 0;
}

/** The policy in GNU parallel's words, e.g. `now,fail=1` or `soon,success=30%`. */
export function formatHalt(policy: HaltPolicy): string {
  const { condition, threshold } = haltCondition(policy);
  return `${policy.when},${condition}=${threshold}`;
}

/** Validates `halt`; a TypeError names the field and the value received. */
export function checkHaltPolicy(name: string, value: unknown): HaltPolicy | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(name, "an object { when: 'now' | 'soon', fail | success | done: N or 'P%' }", value);
  }
  const policy = value as Record<string, unknown>;
  if (policy.when !== 'now' && policy.when !== 'soon') throw invalidOption(`${name}.when`, "'now' or 'soon'", policy.when);
  const given = CONDITIONS.filter((condition) => policy[condition] !== undefined);
  if (given.length !== 1) {
    throw invalidOption(name, 'exactly one of fail, success or done', given.length === 0 ? 'none' : given.join(' and '));
  }
  const threshold = policy[given[0]];
  const ok =
    (typeof threshold === 'number' && Number.isInteger(threshold) && threshold > 0) ||
    (typeof threshold === 'string' && /^\d+(\.\d+)?%$/.test(threshold) && parseFloat(threshold) > 0 && parseFloat(threshold) <= 100);
  if (!ok) throw invalidOption(`${name}.${given[0]}`, "a positive integer or a percentage from '0%' (excluded) to '100%'", threshold);
  return value as HaltPolicy;
}

/**
 * Parses GNU parallel's `--halt` syntax: `never`, `now,fail=1`, `soon,fail=30%`, `now,success=1`,
 * `soon,done=5`, and the short forms `0` (never), `1` (`soon,fail=1`), `2` (`now,fail=1`), `-1`
 * (`soon,success=1`), `-2` (`now,success=1`). `never` gives `undefined`. Anything else is a TypeError.
 *
 * @example
 * ```ts
 * import { runParallel, CommandProcess } from 'rx-orchestration';
 * import { parseHalt } from 'rx-orchestration/toolkit';
 * const jobs = ['true', 'false', 'true'].map((cmd, i) => new CommandProcess({ command: cmd, processId: `job-${i}` }));
 * const results = await runParallel(jobs, { maxWorkers: 1, halt: parseHalt('soon,fail=1') });
 * console.log(results.map((r) => `${r.processId}: ${r.reason}`)); // [ 'job-0: exit', 'job-1: exit', 'job-2: not-started' ]
 * ```
 */
export function parseHalt(spec: string): HaltPolicy | undefined {
  const text = typeof spec === 'string' ? spec.trim() : spec;
  const short: Record<string, HaltPolicy | undefined> = {
    never: undefined,
    '0': undefined,
    '1': { when: 'soon', fail: 1 },
    '2': { when: 'now', fail: 1 },
    '-1': { when: 'soon', success: 1 },
    '-2': { when: 'now', success: 1 },
  };
  if (typeof text === 'string' && Object.prototype.hasOwnProperty.call(short, text)) return short[text];
  const match = typeof text === 'string' ? /^(now|soon),(fail|success|done)=(\d+(?:\.\d+)?%?)$/.exec(text) : null;
  if (!match) {
    throw invalidOption('halt', "never, or now|soon,fail|success|done=N or P% (e.g. 'now,fail=1', 'soon,fail=30%')", spec);
  }
  const threshold = match[3].endsWith('%') ? (match[3] as `${number}%`) : Number(match[3]);
  try {
    return checkHaltPolicy('halt', { when: match[1], [match[2]]: threshold });
  } catch {
    throw invalidOption('halt', `${match[1]},${match[2]}= with a positive integer or a percentage above 0% and at most 100%`, spec);
  }
}

/**
 * Whether the results of a run meet the policy's condition (so the halt fired, or would have
 * with processes left): results the halt itself stopped or kept from starting do not count.
 * `total` is the number of processes submitted (for percentages).
 *
 * @example
 * ```ts
 * import { runParallel, CommandProcess } from 'rx-orchestration';
 * import { haltReached } from 'rx-orchestration/toolkit';
 * const mirrors = ['false', 'true', 'true'].map((cmd, i) => new CommandProcess({ command: cmd, processId: `mirror-${i}` }));
 * const halt = { when: 'now', success: 1 } as const;
 * const results = await runParallel(mirrors, { maxWorkers: 1, halt });
 * console.log(haltReached(halt, results)); // true: one mirror succeeded, the rest was not needed
 * ```
 */
export function haltReached(policy: HaltPolicy, results: readonly ProcessResult[], total: number = results.length): boolean {
  const { condition } = haltCondition(policy);
  return results.filter((result) => !wasHalted(result) && countsTowards(condition, result)).length >= haltLimit(policy, total);
}
