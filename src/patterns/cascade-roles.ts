/**
 * The cascade's default prompt and its self-assessment schema. Slots: `{{task}}`, `{{model}}`,
 * `{{level}}`.
 */

export interface CascadePrompts {
  /** Every level's prompt (the self-assessment is asked for unless a check command is the gate). */
  readonly level: string;
}

export const DEFAULT_CASCADE_PROMPTS: CascadePrompts = {
  level:
    '{{task}}\n\n' +
    'Work on this as well as you can. Then assess your own answer honestly: how confident are you, ' +
    'from 0 to 1, that it is correct and complete? Say what is missing, if anything.',
};

/** A level's structured self-assessment. */
export interface SelfAssessment {
  readonly answer: string;
  readonly confidence: number;
  readonly missing: string;
}

export const SELF_ASSESSMENT_SCHEMA: Readonly<Record<string, unknown>> = {
  type: 'object',
  properties: {
    answer: { type: 'string' },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    missing: { type: 'string' },
  },
  required: ['answer', 'confidence', 'missing'],
  additionalProperties: false,
};
