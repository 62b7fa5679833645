/**
 * The debate's default prompts and the moderator's schema. Slots: `{{question}}`, `{{position}}`,
 * `{{round}}`, `{{arguments}}` (the other positions' previous arguments, each quoted with its id).
 */

export interface DebatePrompts {
  /** Round 1: argue one position. */
  readonly opening: string;
  /** Later rounds: answer the other positions' previous arguments. */
  readonly rebuttal: string;
  /** The moderator, given each position's last argument. */
  readonly moderator: string;
}

export const DEFAULT_DEBATE_PROMPTS: DebatePrompts = {
  opening:
    'You take part in a debate and argue the position "{{position}}".\n' +
    'Question: {{question}}\n\n' +
    'Give the strongest case for your position in a few short paragraphs. Be concrete.',
  rebuttal:
    'You take part in a debate and argue the position "{{position}}". This is round {{round}}.\n' +
    'Question: {{question}}\n\n' +
    'The other positions argued last round (each quoted with the id of the process that wrote it):\n{{arguments}}\n\n' +
    'Answer their strongest points and restate your case.',
  moderator:
    'You moderate a debate and must decide it.\n' +
    'Question: {{question}}\n\n' +
    'The final argument of each position, quoted with the id of the process that wrote it:\n{{arguments}}\n\n' +
    'Decide the question. Give your confidence from 0 to 1, the key arguments (citing the process id of each), ' +
    'and the strongest dissent that remains.',
};

/** The moderator's answer; `keyArguments` cite the ids of the arguments quoted. */
export interface ModeratorAnswer {
  readonly decision: string;
  readonly confidence: number;
  readonly keyArguments: ReadonlyArray<{ readonly processId: string; readonly point: string }>;
  readonly dissent: string;
}

/** The moderator's schema: cited ids must be among those quoted. */
export function moderatorSchema(ids: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      decision: { type: 'string', minLength: 1 },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      keyArguments: {
        type: 'array',
        items: { type: 'object', properties: { processId: { enum: [...ids] }, point: { type: 'string' } }, required: ['processId', 'point'], additionalProperties: false },
      },
      dissent: { type: 'string' },
    },
    required: ['decision', 'confidence', 'keyArguments', 'dissent'],
    additionalProperties: false,
  };
}
