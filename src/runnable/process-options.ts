/**
 * The options every process class takes: the fields of a `RunSpec` (what a run is) plus what is
 * attached to a run but is not data (a log sink, an output gate, `retryOn`, the seed's `timeout`
 * in seconds). Their checks, and the conversions between options and spec.
 */
import type { SchedulerLike } from 'rxjs';
import type { ProcessLogSink } from '../logging/log-sink';
import { OutputGate } from '../process/buffer/output-gate';
import { RUN_SPEC_KEYS, type RunSpec } from '../process/spec';
import { checkLimits } from '../process/spawn/resource-limits';
import { checkRetryOptions, type RetryOptions } from '../operators/retry-options';
import { checkWorkspace, copyWorkspace } from '../workspace/workspace-options';
import {
  checkBoolean,
  checkMilliseconds,
  checkPositiveInteger,
  checkString,
  checkTimeout,
  invalidOption,
  oneOf,
} from '../validate';

/** Options shared by every kind of process: a `RunSpec`'s fields, and what a run is attached to. */
export interface BaseProcessOptions extends Omit<RunSpec, 'kind' | 'processId' | 'retry'> {
  /** Names the process in events, results and logs. @default the command's file name */
  readonly processId?: string;
  /** The seed's name for `timeoutMs`, in seconds; 0 means none. Give one of the two. @default none */
  readonly timeout?: number;
  /**
   * Try a failed run again: `{ count, delayMs?, backoff?, maxDelayMs?, retryOn? }` (see `RetryOptions`).
   * Each attempt has the full timeout; every attempt goes to the same log; the result is the last
   * attempt's, with all of them listed by `attemptsOf(result)`. @default no retry
   */
  readonly retry?: RetryOptions;
  /** Mirror output live to the host's stdout/stderr, each line prefixed with `[processId]`. @default false */
  readonly streamOutput?: boolean;
  /** Write a full log of every run to `<logDir>/<safe id>.log`. @default no log */
  readonly logDir?: string;
  /** Where to log runs (a session passes its own); takes precedence over `logDir`. @default none */
  readonly logSink?: ProcessLogSink;
  /**
   * Backpressure: while this gate is closed (a sink such as the terminal or a log file is full),
   * the child's output is not read and a child that keeps writing blocks. A session passes its
   * own. @default none: output is read as fast as it comes
   */
  readonly outputGate?: OutputGate;
  /**
   * Names a run's worktree branch (`rxo/<workspaceSession>/<process id>`) when it has a
   * `workspace`; a session passes its id. @default a fresh `run-<time>-<random>` id per run
   */
  readonly workspaceSession?: string;
  /** The clock of the timeout, the kill grace, the exit grace and the stop's poll (tests pass a virtual one). @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** Names of options that were renamed (durations now in milliseconds): given, they are an error, never ignored. */
const RENAMED: Readonly<Record<string, string>> = { killGrace: 'killGraceMs', exitGrace: 'exitGraceMs', startDelay: 'startDelayMs' };

export function checkBaseOptions(options: BaseProcessOptions): void {
  for (const [old, renamed] of Object.entries(RENAMED)) {
    const value = (options as unknown as Record<string, unknown>)[old];
    if (value !== undefined) throw invalidOption(old, `absent: it was renamed ${renamed} (milliseconds)`, value);
  }
  if (options.processId !== undefined) checkString('processId', options.processId, { allowEmpty: true });
  if (options.cwd !== undefined) checkString('cwd', options.cwd);
  checkTimeout('timeout', options.timeout);
  for (const key of ['timeoutMs', 'killGraceMs', 'exitGraceMs'] as const) checkMilliseconds(key, options[key]);
  if (options.timeout !== undefined) oneOf(['timeout (seconds)', 'timeoutMs'], [options.timeout * 1000, options.timeoutMs]);
  checkBoolean('extendEnv', options.extendEnv);
  checkBoolean('killLeftovers', options.killLeftovers);
  checkBoolean('streamOutput', options.streamOutput);
  if (options.env !== undefined && (typeof options.env !== 'object' || options.env === null || Array.isArray(options.env))) {
    throw invalidOption('env', 'an object of strings', options.env);
  }
  if (options.maxBuffer !== undefined) checkPositiveInteger('maxBuffer', options.maxBuffer);
  if (options.logDir !== undefined) checkString('logDir', options.logDir);
  checkLimits(options.limits);
  const scheduler = options.scheduler as { schedule?: unknown } | undefined;
  if (scheduler !== undefined && (typeof scheduler !== 'object' || scheduler === null || typeof scheduler.schedule !== 'function')) {
    throw invalidOption('scheduler', 'an RxJS scheduler', scheduler);
  }
  if (options.outputGate !== undefined && !(options.outputGate instanceof OutputGate)) {
    throw invalidOption('outputGate', 'an OutputGate', options.outputGate);
  }
  if (options.retry !== undefined) checkRetryOptions('retry', options.retry);
  checkWorkspace(options.workspace);
  if (options.workspaceSession !== undefined) checkString('workspaceSession', options.workspaceSession);
  const terminal = options.terminal;
  if (terminal !== undefined && typeof terminal !== 'boolean' && (typeof terminal !== 'object' || terminal === null)) {
    throw invalidOption('terminal', 'a boolean or { cols, rows }', terminal);
  }
  if (typeof terminal === 'object') {
    // A terminal's size is two unsigned 16-bit numbers.
    for (const key of ['cols', 'rows'] as const) {
      const value = terminal[key];
      if (value !== undefined && checkPositiveInteger(`terminal.${key}`, value) > 65535) {
        throw invalidOption(`terminal.${key}`, 'at most 65535', value);
      }
    }
  }
}

/** The timeout in milliseconds the options ask for (`timeoutMs`, or the seed's `timeout` in seconds); undefined for none. */
export function optionsTimeoutMs(options: BaseProcessOptions): number | undefined {
  const ms = options.timeoutMs ?? (options.timeout === undefined ? undefined : options.timeout * 1000);
  return ms === 0 ? undefined : ms;
}

/** Keeps the keys of `source` whose values are defined. */
export function definedFields<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const kept: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) kept[key] = source[key];
  return kept;
}

/** The spec fields of base options: only those given, `timeout` as `timeoutMs`, `retry` without functions. */
export function runSpecFields(options: BaseProcessOptions): Omit<RunSpec, 'kind' | 'processId'> {
  const keys = RUN_SPEC_KEYS.filter((key) => key !== 'retry' && key !== 'timeoutMs');
  const fields: Record<string, unknown> = definedFields(options, keys);
  const timeoutMs = options.timeoutMs ?? (options.timeout === undefined ? undefined : options.timeout * 1000);
  if (timeoutMs !== undefined) fields.timeoutMs = timeoutMs;
  if (options.env !== undefined) fields.env = { ...options.env };
  if (options.retry) fields.retry = definedFields(options.retry, ['count', 'delayMs', 'backoff', 'maxDelayMs']);
  if (options.workspace) fields.workspace = copyWorkspace(options.workspace);
  return fields as Omit<RunSpec, 'kind' | 'processId'>;
}

/** The base options of a spec: its run fields (`retry` included); the caller adds attachments. */
export function runOptionsOf(spec: RunSpec): BaseProcessOptions {
  const { kind: _kind, ...fields } = spec;
  return definedFields(fields, ['processId', ...RUN_SPEC_KEYS]) as BaseProcessOptions;
}
