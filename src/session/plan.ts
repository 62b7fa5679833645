/**
 * A session's plan: `plan.json`, every process the session was asked to run, described well
 * enough to run it again (`orchestrate resume`). Written 0600 inside the 0700 session directory.
 *
 * What is kept: the kind (Claude or command), id, command, arguments, prompt (byte-exact: resume
 * needs it), model, extra arguments, stdin, and the options that change a run (working directory,
 * timeout, grace periods, buffer, terminal, limits, environment). Environment variables whose
 * values are secrets (named like `*TOKEN*`, `*API_KEY*`, ...) are never written: a resumed process
 * takes them from the resuming host's environment; so are values holding a URL with credentials
 * or a key shape. A secret value (the host's, or one of any planned process's own `env`) inside an
 * id, a command line, a prompt or stdin is redacted like in every log, and the process is marked
 * `secretsRemoved`.
 *
 * Integrity: a plan carries an HMAC of its canonical bytes keyed by a per-user secret
 * (plan-integrity.ts); `readPlan` refuses a plan whose HMAC does not match, and one without an
 * HMAC unless asked to accept it. It also refuses a plan.json that is not a regular file (a FIFO
 * would block the read forever).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClaudeProcess, type ClaudeProcessOptions } from '../runnable/claude-process';
import { secretValues, type Redactor } from '../logging/redact';
import { CommandProcess, type BaseProcessOptions } from '../runnable/command-process';
import type { Runnable } from '../process/types';
import type { RetryOptions } from '../operators/retry-options';
import type { ClaudeFlagOptions } from '../agents/claude/claude-args';
import { ResumeError } from '../errors';
import type { LogDirectory } from '../logging/log-directory';
import { invalidOption } from '../validate';
import { checkPlan, planKey, signPlan, type PlanCheck, type PlanIntegrity } from './plan-integrity';
import { NotRegularFileError, readRegularFile } from './regular-file';

export const PLAN_FILE = 'plan.json';

/** The options of a planned process that change how it runs (secret environment values left out). */
export type PlannedOptions = Pick<
  BaseProcessOptions,
  'cwd' | 'extendEnv' | 'timeout' | 'killGrace' | 'exitGrace' | 'killLeftovers' | 'maxBuffer' | 'terminal' | 'limits'
> & {
  readonly env?: Readonly<Record<string, string>>;
  /** The retry settings, without a `retryOn` function or scheduler (neither can be stored). */
  readonly retry?: Pick<RetryOptions, 'count' | 'delay' | 'backoff' | 'maxDelay'>;
};

/** The Claude options a plan keeps (the ones that become CLI flags, besides model and extraArgs). */
export type PlannedClaudeOptions = Omit<ClaudeFlagOptions, 'model' | 'extraArgs'>;

const CLAUDE_KEYS = [
  'outputFormat', 'permissionMode', 'fallbackModel', 'maxTurns', 'maxBudgetUsd', 'appendSystemPrompt',
  'allowedTools', 'disallowedTools', 'sessionId', 'resume',
] as const;

function defined<T extends object>(source: T, keys: readonly (keyof T)[]): Partial<T> {
  const kept: Partial<T> = {};
  for (const key of keys) if (source[key] !== undefined) kept[key] = source[key];
  return kept;
}

/** One process of a plan. */
export interface PlannedProcess {
  readonly kind: 'claude' | 'command';
  readonly processId: string;
  /** The program (for Claude, the Claude executable). */
  readonly command: string;
  /** Command processes: the arguments. */
  readonly args?: readonly string[];
  /** Command processes: stdin, as UTF-8 text or base64 bytes. */
  readonly input?: { readonly encoding: 'utf8' | 'base64'; readonly data: string };
  /** Claude processes. */
  readonly prompt?: string;
  readonly model?: string;
  readonly extraArgs?: readonly string[];
  /** Claude processes: output format, permission mode, turn and budget limits, tools, ... */
  readonly claudeOptions?: PlannedClaudeOptions;
  readonly options: PlannedOptions;
  /**
   * True when the command line, prompt or stdin held a secret value, stored as `[REDACTED]`:
   * such a process cannot be run again from the plan.
   */
  readonly secretsRemoved?: boolean;
}

/** A group of processes run with one strategy. */
export interface PlanPhase {
  readonly title?: string;
  /** The strategy's name (`parallel`, `sequential`, `fallback`, `batched`, or your own word). */
  readonly strategy?: string;
  /** The strategy's settings, e.g. `{ maxWorkers: 3 }` (JSON values only). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** The directory of the earlier session these processes continue (resume, `--resume-failed`). */
  readonly resumedFrom?: string;
  readonly processes: readonly PlannedProcess[];
}

export interface SessionPlan {
  readonly version: 1;
  readonly sessionId: string;
  readonly patternName: string;
  readonly workingDir: string;
  readonly phases: readonly PlanPhase[];
  /** HMAC-SHA256 over the rest of the plan, keyed by the writing user's plan key (absent when no key could be made). */
  readonly integrity?: PlanIntegrity;
}

/**
 * How `readPlan` treats the plan's integrity record: `require` a matching HMAC; `allow-unsigned`
 * also accepts a plan without one (written before plans were signed, or where no key could be
 * made), never one whose HMAC does not match; `ignore` skips the check (reading only, never to run).
 */
export type PlanIntegrityPolicy = 'require' | 'allow-unsigned' | 'ignore';

const OPTION_KEYS = ['cwd', 'extendEnv', 'timeout', 'killGrace', 'exitGrace', 'killLeftovers', 'maxBuffer', 'terminal', 'limits'] as const;

function plannedOptions(options: BaseProcessOptions): PlannedOptions {
  const kept: Record<string, unknown> = defined(options, OPTION_KEYS);
  if (options.retry) kept.retry = defined(options.retry, ['count', 'delay', 'backoff', 'maxDelay']);
  if (options.env) {
    const secrets = new Set(secretValues(options.env));
    const env = Object.entries(options.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !secrets.has(entry[1]));
    if (env.length > 0) kept.env = Object.fromEntries(env);
  }
  return kept as PlannedOptions;
}

/** Describes a `ClaudeProcess` or `CommandProcess` for a plan; a TypeError for anything else. */
export function describeProcess(runnable: Runnable): PlannedProcess {
  if (runnable instanceof ClaudeProcess) {
    const options = runnable.options as ClaudeProcessOptions & { command: string };
    return {
      kind: 'claude',
      processId: runnable.processId,
      command: options.command,
      prompt: runnable.prompt,
      ...(runnable.model !== undefined ? { model: runnable.model } : {}),
      ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
      claudeOptions: defined(options, CLAUDE_KEYS),
      options: plannedOptions(options),
    };
  }
  if (runnable instanceof CommandProcess) {
    const { command, args = [], input } = runnable.options;
    return {
      kind: 'command',
      processId: runnable.processId,
      command,
      args,
      ...(input === undefined
        ? {}
        : { input: typeof input === 'string' ? { encoding: 'utf8' as const, data: input } : { encoding: 'base64' as const, data: input.toString('base64') } }),
      options: plannedOptions(runnable.options),
    };
  }
  throw invalidOption(`process ${JSON.stringify(runnable?.processId)}`, 'a ClaudeProcess or a CommandProcess to be planned', runnable);
}

/** The secret values of a process's own environment (`env` option), to redact wherever they appear. */
export function plannedSecrets(runnable: Runnable): string[] {
  const env = (runnable as { options?: BaseProcessOptions }).options?.env;
  return env ? secretValues(env) : [];
}

/**
 * The planned process with secret values redacted; marked `secretsRemoved` when any was. An
 * environment value that holds a secret (a URL password, a key shape) is left out, like the
 * values of secret-named variables.
 */
export function redactPlanned(planned: PlannedProcess, redact: Redactor): PlannedProcess {
  const text = (value: string | undefined): string | undefined => (value === undefined ? undefined : redact(value));
  const list = (values: readonly string[] | undefined): string[] | undefined => values?.map(redact);
  const input = planned.input?.encoding === 'utf8' ? { encoding: 'utf8' as const, data: redact(planned.input.data) } : planned.input;
  const binaryHeld = planned.input?.encoding === 'base64' && (() => {
    const decoded = Buffer.from(planned.input.data, 'base64').toString('latin1');
    return redact(decoded) !== decoded;
  })();
  const env = planned.options.env && Object.entries(planned.options.env).filter(([, value]) => redact(value) === value);
  const options: PlannedOptions =
    env && env.length !== Object.keys(planned.options.env ?? {}).length
      ? { ...planned.options, env: env.length > 0 ? Object.fromEntries(env) : undefined }
      : planned.options;
  const cleaned: PlannedProcess = {
    ...planned,
    processId: redact(planned.processId),
    command: redact(planned.command),
    ...(planned.args ? { args: list(planned.args) } : {}),
    ...(planned.prompt !== undefined ? { prompt: text(planned.prompt) } : {}),
    ...(planned.extraArgs ? { extraArgs: list(planned.extraArgs) } : {}),
    ...(planned.claudeOptions?.appendSystemPrompt !== undefined
      ? { claudeOptions: { ...planned.claudeOptions, appendSystemPrompt: redact(planned.claudeOptions.appendSystemPrompt) } }
      : {}),
    ...(binaryHeld ? { input: { encoding: 'base64' as const, data: '' } } : input ? { input } : {}),
  };
  const changed = binaryHeld || JSON.stringify(cleaned) !== JSON.stringify(planned);
  const withOptions = options === planned.options ? cleaned : { ...cleaned, options: JSON.parse(JSON.stringify(options)) as PlannedOptions };
  return changed ? { ...withOptions, secretsRemoved: true } : withOptions;
}

/**
 * Writes `plan.json` (0600), signed with this user's plan key: by path, or (a session) through its
 * LogDirectory, never through a symlink. When no key can be read or made, the plan is written
 * unsigned and `onUnsigned` hears why (resuming it then needs `allow-unsigned`, the CLI's
 * `--trust-plan`).
 */
export function writePlan(directory: string | LogDirectory, plan: SessionPlan, onUnsigned?: (reason: string) => void): string {
  const { integrity: _old, ...body } = plan;
  let signed: SessionPlan = body;
  try {
    signed = { ...body, integrity: signPlan(body, planKey()) };
  } catch (error) {
    onUnsigned?.((error as Error).message);
  }
  const text = `${JSON.stringify(signed, null, 2)}\n`;
  if (typeof directory !== 'string') {
    directory.replaceFile(PLAN_FILE, text);
    return directory.display(PLAN_FILE);
  }
  const path = join(directory, PLAN_FILE);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

/**
 * Reads `<sessionDir>/plan.json`; throws a `ResumeError` when there is none or it is not a plan.
 *
 * @example
 * ```ts
 * import { readPlan } from 'rx-orchestration';
 * const plan = readPlan('.claude/runtime/logs/cli-parallel_20250101-120000_abcd1234');
 * for (const phase of plan.phases) console.log(phase.strategy, phase.processes.map((p) => p.processId));
 * ```
 */
export function readPlan(sessionDir: string, options: { readonly integrity?: PlanIntegrityPolicy } = {}): SessionPlan {
  const path = join(sessionDir, PLAN_FILE);
  let plan: SessionPlan;
  try {
    plan = JSON.parse(readRegularFile(path)) as SessionPlan;
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `it has no ${PLAN_FILE} (a session records one when the CLI runs, or when session.plan() is called)`
        : error instanceof NotRegularFileError
          ? error.message
          : `${path}: ${(error as Error).message}`;
    throw new ResumeError(sessionDir, why, error);
  }
  if (plan?.version !== 1 || !Array.isArray(plan.phases)) throw new ResumeError(sessionDir, `${path} is not a session plan (version 1)`);
  const policy = options.integrity ?? 'require';
  if (policy === 'ignore') return plan;
  let check: PlanCheck = 'missing';
  try {
    if (plan.integrity !== undefined) check = checkPlan(plan, planKey());
  } catch (error) {
    throw new ResumeError(sessionDir, `cannot check ${path}: ${(error as Error).message}`, error);
  }
  if (check === 'mismatch') {
    throw new ResumeError(sessionDir, `${path} was changed after it was written (or written by another user): its integrity check does not match; refusing to run anything from it`);
  }
  if (check === 'missing' && policy !== 'allow-unsigned') {
    throw new ResumeError(sessionDir, `${path} has no integrity check (written before plans were signed, or where no plan key could be made); check what it runs, then pass --trust-plan (library: integrity: 'allow-unsigned')`);
  }
  return plan;
}
