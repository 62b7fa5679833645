/**
 * Expert panel: experts answer in parallel, each with its role prompt and one shared findings
 * schema; an aggregator (structured output) returns `{consensus, votes: {<id>: …}, dissent}`.
 * Phases: `experts` (parallel), `aggregation`. Ids: `expert-<name>`, `aggregator`.
 */
import { concat, defer, type Observable } from 'rxjs';
import { aggregatorSchema, DEFAULT_PANEL_PROMPTS, DEFAULT_ROLES, FINDINGS_SCHEMA, type AggregatorAnswer, type ExpertFindings, type PanelPrompts, type Vote } from './panel-roles';
import { checkNames, checkTask, type PatternOptions } from './pattern-options';
import { agentSpec, fillPrompt, quoted, withPrompts } from './prompts';
import { runPattern } from './run-pattern';
import type { PatternEvent, VerdictBase } from './verdict';

export interface PanelOptions extends PatternOptions {
  /** The experts, e.g. `['security', 'performance', 'maintainability']`. */
  readonly experts: readonly string[];
  /** What each expert looks at, by name (fills `{{role}}`). @default DEFAULT_ROLES, else the name */
  readonly roles?: Readonly<Record<string, string>>;
  readonly prompts?: Partial<PanelPrompts>;
}

export interface PanelVerdict extends VerdictBase {
  readonly question: string;
  readonly consensus: string | null;
  /** Each reporting expert's vote, by its process id. */
  readonly votes: Readonly<Record<string, Vote>>;
  readonly dissent: string | null;
  /** Each expert's checked findings, by process id (those that reported). */
  readonly findings: Readonly<Record<string, ExpertFindings>>;
  readonly aggregator: string;
}

export const AGGREGATOR_ID = 'aggregator';
export const expertId = (expert: string): string => `expert-${expert}`;

/**
 * @example
 * ```ts
 * import { lastValueFrom } from 'rxjs';
 * import { panel } from 'rx-orchestration';
 * import { simulatedAgentPath } from 'rx-orchestration/testing';
 * const last = await lastValueFrom(panel('Is src/ ready to ship?', { experts: ['security', 'performance'], agent: { command: simulatedAgentPath } }));
 * if (last.type === 'verdict') console.log(last.verdict.consensus, last.verdict.votes['expert-security']);
 * ```
 */
export function panel(question: string, options: PanelOptions): Observable<PatternEvent<PanelVerdict>> {
  checkTask('question', question);
  const experts = checkNames('experts', options.experts);
  const prompts = withPrompts(DEFAULT_PANEL_PROMPTS, options.prompts);
  const roles = { ...DEFAULT_ROLES, ...options.roles };
  const ids = experts.map(expertId);
  return runPattern<PanelVerdict>(
    {
      pattern: 'panel',
      phases: [
        { name: 'experts', strategy: 'parallel', processIds: ids },
        { name: 'aggregation', strategy: 'run', processIds: [AGGREGATOR_ID] },
      ],
      body: (context) =>
        concat(
          context.phase({
            name: 'experts',
            strategy: 'parallel',
            options: { maxWorkers: experts.length },
            specs: experts.map((expert) => {
              const prompt = fillPrompt(prompts.expert, { question, expert, role: roles[expert] ?? `the ${expert} point of view.` });
              return agentSpec(expertId(expert), prompt, options.agent, { jsonSchema: FINDINGS_SCHEMA });
            }),
          }),
          defer(() => {
            const reported = ids.filter((id) => context.structured(id) !== undefined);
            const findings = reported.map((id) => quoted('findings', id, JSON.stringify(context.structured(id), null, 2))).join('\n');
            const prompt = fillPrompt(prompts.aggregator, { question, findings });
            return context.phase({ name: 'aggregation', strategy: 'run', specs: reported.length === 0 ? [] : [agentSpec(AGGREGATOR_ID, prompt, options.agent, { jsonSchema: aggregatorSchema(reported) })] });
          }),
        ),
      decide: (context) => {
        const findings = Object.fromEntries(ids.flatMap((id) => { const f = context.structured<ExpertFindings>(id); return f ? [[id, f] as const] : []; }));
        const base = { question, aggregator: AGGREGATOR_ID, findings, failures: context.failuresAmong([...context.results.keys()]) };
        const answer = context.structured<AggregatorAnswer>(AGGREGATOR_ID);
        if (!answer) {
          const reason = Object.keys(findings).length === 0 ? 'no expert reported findings, so there was nothing to aggregate' : context.results.has(AGGREGATOR_ID) ? `the aggregator failed: ${context.failureOf(AGGREGATOR_ID)}` : 'the aggregator did not run';
          return { ...base, decided: false, reason, consensus: null, votes: {}, dissent: null };
        }
        const silent = ids.filter((id) => !(id in findings));
        return { ...base, decided: true, reason: silent.length ? `aggregated without ${silent.join(', ')}` : null, consensus: answer.consensus, votes: answer.votes, dissent: answer.dissent };
      },
    },
    options,
  );
}
