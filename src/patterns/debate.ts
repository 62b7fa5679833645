/**
 * Debate: one agent per position, round after round; from round 2 each sees the other positions'
 * previous arguments, quoted with the process id that wrote them; a moderator (structured output)
 * returns `{decision, confidence, keyArguments, dissent}`. Phases: `round 1` ... `round N`
 * (parallel), then `moderation`. Ids: `<position>-round-<n>`, `moderator`.
 */
import { concat, defer, type Observable } from 'rxjs';
import { defaults } from '../defaults';
import { DEFAULT_DEBATE_PROMPTS, moderatorSchema, type DebatePrompts, type ModeratorAnswer } from './debate-roles';
import type { PatternContext } from './pattern-context';
import { checkCount, checkNames, checkTask, type PatternOptions } from './pattern-options';
import { agentSpec, fillPrompt, quoted, withPrompts } from './prompts';
import { runPattern } from './run-pattern';
import type { PatternEvent, VerdictBase } from './verdict';

export interface DebateOptions extends PatternOptions {
  /** The positions, one agent each, e.g. `['for', 'against']`. */
  readonly positions: readonly string[];
  /** Rounds of arguments before the moderator decides. @default defaults.patternRounds (2) */
  readonly rounds?: number;
  /** Prompt templates replacing the defaults (`DEFAULT_DEBATE_PROMPTS`). @default {} */
  readonly prompts?: Partial<DebatePrompts>;
}

export interface DebateVerdict extends VerdictBase {
  readonly question: string;
  /** The moderator's decision; null when it gave none. */
  readonly decision: string | null;
  readonly confidence: number | null;
  /** Each cited argument with the position of the process that made it. */
  readonly keyArguments: ReadonlyArray<{ readonly processId: string; readonly position: string; readonly point: string }>;
  readonly dissent: string | null;
  /** The last argument of each position: its process id (null when it never argued). */
  readonly finalArguments: Readonly<Record<string, string | null>>;
  readonly moderator: string;
}

export const MODERATOR_ID = 'moderator';
const argumentId = (position: string, round: number): string => `${position}-round-${round}`;

/**
 * @example
 * ```ts
 * import { lastValueFrom } from 'rxjs';
 * import { debate } from 'rx-orchestration';
 * import { simulatedAgentPath } from 'rx-orchestration/testing';
 * const last = await lastValueFrom(debate('Should we adopt tabs?', { positions: ['for', 'against'], agent: { command: simulatedAgentPath } }));
 * if (last.type === 'verdict') console.log(last.verdict.decision, last.verdict.keyArguments);
 * ```
 */
export function debate(question: string, options: DebateOptions): Observable<PatternEvent<DebateVerdict>> {
  checkTask('question', question);
  const positions = checkNames('positions', options.positions, { min: 2 });
  const rounds = checkCount('rounds', options.rounds ?? defaults.patternRounds, 20);
  const prompts = withPrompts(DEFAULT_DEBATE_PROMPTS, options.prompts);
  const roundIds = (round: number): string[] => positions.map((p) => argumentId(p, round));
  /** The latest successful argument of a position up to `round`. */
  const lastArgument = (context: PatternContext, position: string, round: number): string | null => {
    for (let r = round; r >= 1; r--) if (context.succeeded(argumentId(position, r))) return argumentId(position, r);
    return null;
  };
  const quote = (context: PatternContext, position: string, round: number): string => {
    const id = lastArgument(context, position, round);
    return id ? quoted('argument', id, context.results.get(id)?.output ?? '', { position }) : `<argument position=${JSON.stringify(position)}>(no argument: ${context.failureOf(argumentId(position, round))})</argument>`;
  };
  const roundPhase = (context: PatternContext, round: number): Observable<never> | ReturnType<PatternContext['phase']> =>
    context.phase({
      name: `round ${round}`,
      strategy: 'parallel',
      options: { maxWorkers: positions.length },
      specs: positions.map((position) => {
        const values = { question, position, round: String(round) };
        const others = positions.filter((p) => p !== position).map((p) => quote(context, p, round - 1)).join('\n');
        const prompt = round === 1 ? fillPrompt(prompts.opening, values) : fillPrompt(prompts.rebuttal, { ...values, arguments: others });
        return agentSpec(argumentId(position, round), prompt, options.agent);
      }),
    });
  const finals = (context: PatternContext): string[] => positions.map((p) => lastArgument(context, p, rounds)).filter((id): id is string => id !== null);
  return runPattern<DebateVerdict>(
    {
      pattern: 'debate',
      phases: [
        ...Array.from({ length: rounds }, (_, i) => ({ name: `round ${i + 1}`, strategy: 'parallel' as const, processIds: roundIds(i + 1) })),
        { name: 'moderation', strategy: 'run', processIds: [MODERATOR_ID] },
      ],
      body: (context) =>
        concat(
          ...Array.from({ length: rounds }, (_, i) => defer(() => roundPhase(context, i + 1))),
          defer(() => {
            const ids = finals(context);
            const quotes = positions.map((p) => quote(context, p, rounds)).join('\n');
            const prompt = fillPrompt(prompts.moderator, { question, arguments: quotes });
            return context.phase({ name: 'moderation', strategy: 'run', specs: ids.length === 0 ? [] : [agentSpec(MODERATOR_ID, prompt, options.agent, { jsonSchema: moderatorSchema(ids) })] });
          }),
        ),
      decide: (context) => decideDebate(context, question, positions, finals(context), (p) => lastArgument(context, p, rounds)),
    },
    options,
  );
}

function decideDebate(context: PatternContext, question: string, positions: readonly string[], finals: readonly string[], last: (p: string) => string | null): DebateVerdict {
  const all = [...context.results.keys()];
  const answer = context.structured<ModeratorAnswer>(MODERATOR_ID);
  const positionOf = new Map(positions.flatMap((p) => all.filter((id) => id.startsWith(`${p}-round-`)).map((id) => [id, p] as const)));
  const base = {
    question, moderator: MODERATOR_ID, failures: context.failuresAmong(all),
    finalArguments: Object.fromEntries(positions.map((p) => [p, last(p)])),
  };
  if (!answer) {
    const reason = finals.length === 0 ? 'no position produced an argument, so there was nothing to moderate' : context.results.has(MODERATOR_ID) ? `the moderator failed: ${context.failureOf(MODERATOR_ID)}` : 'the moderator did not run';
    return { ...base, decided: false, reason, decision: null, confidence: null, keyArguments: [], dissent: null };
  }
  const silent = positions.filter((p) => last(p) === null);
  return {
    ...base,
    decided: true,
    reason: silent.length ? `decided without an argument from ${silent.join(', ')}` : null,
    decision: answer.decision,
    confidence: answer.confidence,
    keyArguments: answer.keyArguments.map((k) => ({ ...k, position: positionOf.get(k.processId) ?? '?' })),
    dissent: answer.dissent,
  };
}
