/**
 * Cascade: the task goes to the cheapest model first; each level's answer must pass a gate (its
 * structured self-assessment reaching `threshold`, or, with `check`, the check command exiting 0);
 * a failure, a timeout or a failed gate escalates to the next model. Phases: `level 1: haiku`,
 * `level 2: sonnet`, ... (each `sequential`: the agent, then its check); levels after the one
 * that passes never run. Ids: `level-<n>-<model>` and `level-<n>-<model>-check`.
 */
import { concat, defer, type Observable } from 'rxjs';
import { claudeRunOf } from '../agents/claude/run-info';
import { defaults } from '../defaults';
import { checkCheck, checkSpec, type CheckCommand } from './check-command';
import { DEFAULT_CASCADE_PROMPTS, SELF_ASSESSMENT_SCHEMA, type CascadePrompts, type SelfAssessment } from './cascade-roles';
import type { PatternContext } from './pattern-context';
import { checkNames, checkTask, type PatternOptions } from './pattern-options';
import { agentSpec, fillPrompt, idPart, withPrompts } from './prompts';
import { runPattern } from './run-pattern';
import type { PatternEvent, VerdictBase } from './verdict';

export interface CascadeOptions extends PatternOptions {
  /** Models, cheapest first, e.g. `['haiku', 'sonnet', 'opus']`. */
  readonly models: readonly string[];
  /** Self-assessed confidence (0 to 1) a level needs to pass. @default defaults.patternThreshold (0.7) */
  readonly threshold?: number;
  /** The gate instead of the self-assessment: a command run in the working directory after each level; exit 0 passes. @default none */
  readonly check?: CheckCommand;
  /** Milliseconds each level's agent may take; a level that times out escalates. @default the agent's own timeout */
  readonly levelTimeoutMs?: number;
  readonly prompts?: Partial<CascadePrompts>;
}

export type LevelOutcome = 'passed' | 'failed' | 'timeout' | 'gate-failed' | 'not-run';

export interface CascadeLevel {
  readonly level: number;
  readonly model: string;
  readonly processId: string;
  readonly outcome: LevelOutcome;
  /** Why it did not pass (or, passed, what the gate saw). */
  readonly reason: string | null;
  /** Its self-assessed confidence, when it gave one. */
  readonly confidence: number | null;
}

export interface CascadeVerdict extends VerdictBase {
  /** The level that answered (1-based); null when none passed. */
  readonly level: number | null;
  readonly model: string | null;
  readonly processId: string | null;
  readonly answer: string | null;
  readonly levels: readonly CascadeLevel[];
}

/**
 * @example
 * ```ts
 * import { lastValueFrom } from 'rxjs';
 * import { cascade } from 'rx-orchestration';
 * import { simulatedAgentPath } from 'rx-orchestration/testing';
 * const last = await lastValueFrom(cascade('Summarise README.md', { models: ['sim-haiku', 'sim-sonnet'], agent: { command: simulatedAgentPath } }));
 * if (last.type === 'verdict') console.log(`level ${last.verdict.level} answered`, last.verdict.levels);
 * ```
 */
export function cascade(task: string, options: CascadeOptions): Observable<PatternEvent<CascadeVerdict>> {
  checkTask('task', task);
  const models = checkModels(options.models);
  const threshold = options.threshold ?? defaults.patternThreshold;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) throw new TypeError(`threshold must be a number from 0 to 1, received ${JSON.stringify(threshold)}`);
  const check = checkCheck(options.check);
  if (options.levelTimeoutMs !== undefined && !(Number.isFinite(options.levelTimeoutMs) && options.levelTimeoutMs > 0)) {
    throw new TypeError(`levelTimeoutMs must be a positive number of milliseconds, received ${JSON.stringify(options.levelTimeoutMs)}`);
  }
  const prompts = withPrompts(DEFAULT_CASCADE_PROMPTS, options.prompts);
  const levels = models.map((model, i) => ({ level: i + 1, model, id: `level-${i + 1}-${idPart(model)}`, name: `level ${i + 1}: ${model}` }));
  const ids = (l: (typeof levels)[number]): string[] => (check ? [l.id, `${l.id}-check`] : [l.id]);
  const outcomes = (context: PatternContext): CascadeLevel[] => levels.map((l) => levelOutcome(context, l, check !== undefined, threshold));
  const cwd = options.agent?.cwd; // none: the session's working directory, as for the agents
  return runPattern<CascadeVerdict>(
    {
      pattern: 'cascade',
      phases: levels.map((l) => ({ name: l.name, strategy: 'sequential' as const, processIds: ids(l) })),
      body: (context) =>
        concat(
          ...levels.map((l) =>
            defer(() => {
              if (outcomes(context).some((o) => o.outcome === 'passed')) return context.phase({ name: l.name, strategy: 'sequential', specs: [] });
              const prompt = fillPrompt(prompts.level, { task, model: l.model, level: String(l.level) });
              const agent = agentSpec(l.id, prompt, options.agent, { model: l.model, ...(check ? {} : { jsonSchema: SELF_ASSESSMENT_SCHEMA }), ...(options.levelTimeoutMs ? { timeoutMs: options.levelTimeoutMs } : {}) });
              const specs = check ? [agent, checkSpec(`${l.id}-check`, check, cwd)] : [agent];
              return context.phase({ name: l.name, strategy: 'sequential', options: { stopOnFailure: true }, specs });
            }),
          ),
        ),
      decide: (context) => {
        const all = outcomes(context);
        const passed = all.find((o) => o.outcome === 'passed');
        const failures = context.failuresAmong([...context.results.keys()]);
        if (!passed) {
          const tried = all.filter((o) => o.outcome !== 'not-run');
          const reason = tried.length === 0 ? 'no level ran' : `no level passed its gate: ${tried.map((o) => `level ${o.level} (${o.model}) ${o.reason}`).join('; ')}`;
          return { decided: false, reason, failures, level: null, model: null, processId: null, answer: null, levels: all };
        }
        const result = context.results.get(passed.processId);
        const assessed = context.structured<SelfAssessment>(passed.processId);
        const answer = assessed ? assessed.answer : (result?.output ?? '');
        const earlier = all.filter((o) => o.level < passed.level);
        const reason = earlier.length ? earlier.map((o) => `level ${o.level} (${o.model}) ${o.reason}`).join('; ') : null;
        return { decided: true, reason, failures, level: passed.level, model: passed.model, processId: passed.processId, answer, levels: all };
      },
    },
    options,
  );
}

function checkModels(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((m) => typeof m === 'string' && m.trim() !== '')) {
    throw new TypeError(`models must be a non-empty list of model names, cheapest first, received ${JSON.stringify(value)}`);
  }
  checkNames('models (as ids)', value.map(idPart));
  return value;
}

/** What happened at one level: passed, failed (why), timed out, failed its gate, or never ran. */
function levelOutcome(context: PatternContext, l: { level: number; model: string; id: string }, withCheck: boolean, threshold: number): CascadeLevel {
  const base = { level: l.level, model: l.model, processId: l.id };
  const result = context.results.get(l.id);
  if (!result) return { ...base, outcome: 'not-run', reason: context.stoppedBy ? `not run: stopped (${context.stoppedBy})` : 'not run', confidence: null };
  if (result.reason === 'timeout') return { ...base, outcome: 'timeout', reason: `timed out: ${result.error ?? ''}`.trim(), confidence: null };
  if (result.exitCode !== 0) return { ...base, outcome: 'failed', reason: `failed: ${context.failureOf(l.id)}`, confidence: null };
  if (withCheck) {
    const check = context.results.get(`${l.id}-check`);
    if (!check) return { ...base, outcome: 'not-run', reason: 'its check did not run', confidence: null };
    if (check.exitCode !== 0) return { ...base, outcome: 'gate-failed', reason: `failed its check (exit ${check.exitCode})`, confidence: null };
    return { ...base, outcome: 'passed', reason: 'its check exited 0', confidence: null };
  }
  const assessed = claudeRunOf(result)?.structuredOutput as SelfAssessment | undefined;
  const confidence = assessed?.confidence ?? null;
  if (confidence === null || confidence < threshold) {
    return { ...base, outcome: 'gate-failed', reason: `assessed its confidence at ${confidence} (below the threshold ${threshold})${assessed?.missing ? `; missing: ${assessed.missing}` : ''}`, confidence };
  }
  return { ...base, outcome: 'passed', reason: `assessed its confidence at ${confidence} (threshold ${threshold})`, confidence };
}
