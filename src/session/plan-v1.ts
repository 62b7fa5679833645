/**
 * Plans written before processes were specs (`version: 1`) read as today's: each process's
 * `kind`, command line and `options` (durations in seconds) become a spec (durations in
 * milliseconds), the plan's `workingDir` its `cwd`. Read only after the integrity check of the
 * bytes as written.
 */
import type { RunSpec } from '../process/spec';
import type { PlannedProcess } from './planned-process';

/** A process as a version-1 plan stored it. */
interface V1Process {
  readonly kind: 'claude' | 'command';
  readonly processId: string;
  readonly command: string;
  readonly args?: readonly string[];
  readonly input?: { readonly encoding: 'utf8' | 'base64'; readonly data: string };
  readonly prompt?: string;
  readonly model?: string;
  readonly extraArgs?: readonly string[];
  readonly claudeOptions?: Readonly<Record<string, unknown>>;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly secretsRemoved?: boolean;
}

const seconds = (value: unknown): number | undefined => (typeof value === 'number' ? value * 1000 : undefined);

function definedOnly(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** The run fields of a v1 process's `options`. */
function runFields(options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { timeout, killGrace, exitGrace, retry, ...same } = options;
  const oldRetry = retry as { count?: unknown; delay?: unknown; backoff?: unknown; maxDelay?: unknown } | undefined;
  return definedOnly({
    ...same,
    timeoutMs: seconds(timeout),
    killGraceMs: seconds(killGrace),
    exitGraceMs: seconds(exitGrace),
    retry: oldRetry && definedOnly({ count: oldRetry.count, delayMs: seconds(oldRetry.delay), backoff: oldRetry.backoff, maxDelayMs: seconds(oldRetry.maxDelay) }),
  });
}

/** A v1 process as a planned process with a spec. */
export function plannedFromV1(old: V1Process): PlannedProcess {
  const base = { processId: old.processId, ...runFields(old.options ?? {}) };
  const spec: Record<string, unknown> =
    old.kind === 'claude'
      ? { kind: 'claude', ...base, prompt: old.prompt ?? '', command: old.command, ...definedOnly({ model: old.model, extraArgs: old.extraArgs }), ...(old.claudeOptions ?? {}) }
      : {
          kind: 'command',
          ...base,
          command: old.command,
          args: old.args ?? [],
          ...(old.input === undefined ? {} : { input: old.input.encoding === 'utf8' ? old.input.data : { base64: old.input.data } }),
        };
  return { processId: old.processId, spec: spec as unknown as RunSpec, ...(old.secretsRemoved ? { secretsRemoved: true } : {}) };
}

/** A version-1 plan's body as version 2. */
export function upgradeV1(plan: { readonly workingDir?: string; readonly phases: ReadonlyArray<{ readonly processes: readonly unknown[] }> }): {
  cwd: string | undefined;
  phases: Array<Record<string, unknown> & { processes: PlannedProcess[] }>;
} {
  return {
    cwd: plan.workingDir,
    phases: plan.phases.map((phase) => ({ ...phase, processes: phase.processes.map((p) => plannedFromV1(p as V1Process)) })),
  };
}
