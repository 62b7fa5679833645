/**
 * N-version programming's default prompts, diversity profiles, criteria and the reviewer's
 * schema. Slots: `{{task}}`, `{{profile}}`, `{{version}}`; the reviewer's `{{candidates}}` (each
 * version quoted with its process id: profile, branch, changed files, check, diff) and `{{criteria}}`.
 */

export interface NVersionPrompts {
  readonly implement: string;
  readonly reviewer: string;
}

export const DEFAULT_N_VERSION_PROMPTS: NVersionPrompts = {
  implement:
    '{{task}}\n\n' +
    'You are one of several independent implementers working in separate copies of the repository. ' +
    'Your approach: {{profile}}\nMake the change in the files of your working directory, then summarise what you did.',
  reviewer:
    'You review independent implementations of one task and must select the best.\n' +
    'Task: {{task}}\n\n' +
    'Each candidate is quoted with the id of the process that wrote it:\n{{candidates}}\n\n' +
    'Score every candidate from 0 to 10 on each criterion ({{criteria}}), select one by its process id, ' +
    'and explain why.',
};

/** Diversity profiles, used in turn: version 1 gets the first, and so on (cycling). */
export const DEFAULT_PROFILES: readonly string[] = [
  'the smallest change that solves the task, touching as few lines as possible.',
  'the most robust solution: handle every edge case and failure explicitly.',
  'the clearest solution for a future reader, even if it restructures the code around it.',
  'a test-first approach: write or extend the tests, then make them pass.',
];

export const DEFAULT_CRITERIA: readonly string[] = ['correctness', 'simplicity', 'robustness'];

export interface ReviewerAnswer {
  readonly selected: string;
  readonly scores: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly rationale: string;
}

/** The reviewer's schema: `selected` one of the candidates' ids, a score per criterion for each id. */
export function reviewerSchema(ids: readonly string[], criteria: readonly string[]): Record<string, unknown> {
  const score = {
    type: 'object',
    properties: Object.fromEntries(criteria.map((c) => [c, { type: 'number', minimum: 0, maximum: 10 }])),
    required: [...criteria],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: {
      selected: { enum: [...ids] },
      scores: { type: 'object', properties: Object.fromEntries(ids.map((id) => [id, score])), required: [...ids], additionalProperties: false },
      rationale: { type: 'string', minLength: 1 },
    },
    required: ['selected', 'scores', 'rationale'],
    additionalProperties: false,
  };
}
