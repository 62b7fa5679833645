/**
 * One process of a plan: its id and its spec (what `spec()` of the Runnable gave), as stored in
 * `plan.json`. Secrets never reach it: an environment variable named like a secret (`*TOKEN*`,
 * `*API_KEY*`, ...) or whose value holds one (a URL password, a key shape) is left out (a resumed
 * process takes it from the resuming host's environment), and a secret value anywhere else in
 * the spec (id, command line, prompt, stdin, your own fields) is replaced by `[REDACTED]`, the
 * process then marked `secretsRemoved` (it cannot be run again from the plan).
 *
 * A Runnable without `spec()` is recorded by id alone, with `unresumable` saying why.
 */
import { canonicalJson } from './plan-integrity';
import { secretValues, type Redactor } from '../logging/redact';
import { RUN_SPEC_KEYS, type RunSpec } from '../process/spec';
import type { Runnable } from '../process/types';
import { hasSpec, type ProcessSpec } from '../runnable/from-spec';
import { invalidOption } from '../validate';

/** One process of a plan. */
export interface PlannedProcess {
  /** The process id (as the job log records it). */
  readonly processId: string;
  /** What the process runs (`kind` `command`, `claude`, or your own); absent when it gave none. */
  readonly spec?: ProcessSpec | RunSpec;
  /**
   * True when the spec held a secret value, stored as `[REDACTED]`: such a process cannot be run
   * again from the plan.
   */
  readonly secretsRemoved?: boolean;
  /** Why this process cannot be run again from the plan (it gave no spec). */
  readonly unresumable?: string;
}

/** The spec of a Runnable, checked and copied as JSON; undefined when it has no `spec()`. */
function specOf(runnable: Runnable): RunSpec | undefined {
  if (!hasSpec(runnable)) return undefined;
  const spec = runnable.spec() as unknown;
  const fields = spec as Partial<RunSpec> | null;
  if (typeof spec !== 'object' || fields === null || typeof fields.kind !== 'string' || fields.kind === '' || typeof fields.processId !== 'string') {
    throw invalidOption(`spec() of process ${JSON.stringify(runnable.processId)}`, 'an object with a kind and a processId', spec);
  }
  return JSON.parse(JSON.stringify(spec)) as RunSpec;
}

/**
 * Describes a Runnable for a plan: its spec without the values of secret-named variables, or
 * (no `spec()`) its id and why it cannot be resumed.
 */
export function describeProcess(runnable: Runnable): PlannedProcess {
  const spec = specOf(runnable);
  if (!spec) {
    return {
      processId: String(runnable?.processId),
      unresumable: 'it is a Runnable without spec(), so the plan records its id only; give it a spec() (see SpecifiedRunnable) to resume it, or run it again yourself',
    };
  }
  if (!spec.env) return { processId: spec.processId, spec };
  const secrets = new Set(secretValues(spec.env));
  const env = Object.entries(spec.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !secrets.has(entry[1]));
  const { env: _all, ...rest } = spec;
  return { processId: spec.processId, spec: env.length > 0 ? { ...rest, env: Object.fromEntries(env) } : rest };
}

/** The secret values of a process's own environment (`env` of its spec), to redact wherever they appear. */
export function plannedSecrets(runnable: Runnable): string[] {
  const env = hasSpec(runnable) ? runnable.spec().env : undefined;
  return env ? secretValues(env) : [];
}

/** Every string in a JSON value redacted. */
function redactDeep(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]));
  }
  return value;
}

/**
 * The planned process with secret values redacted; marked `secretsRemoved` when any was. An
 * environment value that holds a secret is left out, like the values of secret-named variables;
 * stdin bytes (base64) that hold one are emptied.
 */
export function redactPlanned(planned: PlannedProcess, redact: Redactor): PlannedProcess {
  const processId = redact(planned.processId);
  if (!planned.spec) return { ...planned, processId };
  const { env, input, ...rest } = planned.spec as RunSpec & { input?: unknown };
  const cleaned = redactDeep(rest, redact) as RunSpec;
  let changed = processId !== planned.processId || canonicalJson(cleaned) !== canonicalJson(rest);
  let keptInput = input;
  if (input && typeof input === 'object' && typeof (input as { base64?: unknown }).base64 === 'string') {
    const decoded = Buffer.from((input as { base64: string }).base64, 'base64').toString('latin1');
    if (redact(decoded) !== decoded) [keptInput, changed] = [{ base64: '' }, true];
  } else if (input !== undefined) {
    keptInput = redactDeep(input, redact);
    changed ||= canonicalJson(keptInput) !== canonicalJson(input);
  }
  const keptEnv = env && Object.entries(env).filter(([, value]) => value === undefined || redact(value) === value);
  const spec = {
    ...cleaned,
    ...(keptInput !== undefined ? { input: keptInput } : {}),
    ...(keptEnv && keptEnv.length > 0 ? { env: Object.fromEntries(keptEnv) } : {}),
  } as RunSpec;
  return { processId, spec, ...(changed ? { secretsRemoved: true } : {}) };
}

/**
 * What makes two planned processes the same job: the spec without its id and without the
 * options every run has (directory, environment, timeouts, limits, retry); null without a spec.
 */
export function jobIdentity(planned: PlannedProcess): string | null {
  if (!planned.spec) return null;
  const job: Record<string, unknown> = { ...planned.spec };
  delete job.processId;
  for (const key of RUN_SPEC_KEYS) delete job[key];
  return canonicalJson(job);
}
