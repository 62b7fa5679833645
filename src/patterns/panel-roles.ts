/**
 * The expert panel's default prompts, role descriptions and schemas. Slots: `{{question}}`,
 * `{{expert}}`, `{{role}}` (the expert's description), `{{findings}}` (each expert's findings,
 * quoted with its process id).
 */

export interface PanelPrompts {
  readonly expert: string;
  readonly aggregator: string;
}

export const DEFAULT_PANEL_PROMPTS: PanelPrompts = {
  expert:
    'You sit on a review panel as the {{expert}} expert: {{role}}\n' +
    'Question: {{question}}\n\n' +
    'Answer from your expertise only. List your findings with a severity each, and give your recommendation.',
  aggregator:
    'You chair a review panel and must aggregate its experts.\n' +
    'Question: {{question}}\n\n' +
    "The experts' findings, each quoted with the id of the process that wrote it:\n{{findings}}\n\n" +
    'State the consensus, record each expert\'s vote by its process id (whether it agrees with the consensus, ' +
    'and why), and the dissent that remains.',
};

/** Descriptions of the experts the CLI's examples name; any other expert is described by its name. */
export const DEFAULT_ROLES: Readonly<Record<string, string>> = {
  security: 'you look for vulnerabilities, unsafe input handling, secrets and privilege problems.',
  performance: 'you look at time and memory costs, hot paths, blocking calls and scaling limits.',
  maintainability: 'you judge readability, structure, coupling, naming and how easy the code is to change.',
  correctness: 'you look for bugs, unhandled cases and behaviour that differs from what is intended.',
  testing: 'you judge what is tested, what is not, and whether the tests could fail.',
  usability: 'you judge the experience of the people who use it: clarity, errors, defaults.',
};

export interface ExpertFindings {
  readonly findings: ReadonlyArray<{ readonly severity: 'low' | 'medium' | 'high' | 'critical'; readonly point: string }>;
  readonly recommendation: string;
}

/** The schema every expert shares. */
export const FINDINGS_SCHEMA: Readonly<Record<string, unknown>> = {
  type: 'object',
  properties: {
    findings: {
      type: 'array',
      items: { type: 'object', properties: { severity: { enum: ['low', 'medium', 'high', 'critical'] }, point: { type: 'string' } }, required: ['severity', 'point'], additionalProperties: false },
    },
    recommendation: { type: 'string' },
  },
  required: ['findings', 'recommendation'],
  additionalProperties: false,
};

export interface Vote {
  readonly agrees: boolean;
  readonly note: string;
}

export interface AggregatorAnswer {
  readonly consensus: string;
  readonly votes: Readonly<Record<string, Vote>>;
  readonly dissent: string;
}

/** The aggregator's schema: one vote for each expert that reported, keyed by its process id, and no other. */
export function aggregatorSchema(ids: readonly string[]): Record<string, unknown> {
  const vote = { type: 'object', properties: { agrees: { type: 'boolean' }, note: { type: 'string' } }, required: ['agrees', 'note'], additionalProperties: false };
  return {
    type: 'object',
    properties: {
      consensus: { type: 'string', minLength: 1 },
      votes: { type: 'object', properties: Object.fromEntries(ids.map((id) => [id, vote])), required: [...ids], additionalProperties: false },
      dissent: { type: 'string' },
    },
    required: ['consensus', 'votes', 'dissent'],
    additionalProperties: false,
  };
}
