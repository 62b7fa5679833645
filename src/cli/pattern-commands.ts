/** The pattern commands as `orchestrate` lists them: usage, description, examples. */
import type { CommandSpec } from './commands';

const TASK = { key: 'task', describe: 'The task or question' };

export const PATTERN_COMMAND_SPECS: readonly CommandSpec[] = [
  {
    name: 'n-version',
    usage: 'n-version <task>',
    describe: 'N implementations in parallel, each in its own git worktree; a reviewer (structured output) selects one by id',
    positional: TASK,
    examples: [
      ['$0 n-version "Fix the flaky retry test" --n 3 --check "npm test"', 'Three attempts, each tested in its worktree; the verdict names the branch'],
    ],
  },
  {
    name: 'debate',
    usage: 'debate <task>',
    describe: 'One agent per position, round after round; a moderator (structured output) decides',
    positional: TASK,
    examples: [['$0 debate "Should we adopt a monorepo?" --positions for,against --rounds 2', 'Two rounds, then a decision with its key arguments by id']],
  },
  {
    name: 'cascade',
    usage: 'cascade <task>',
    describe: 'Cheap model first; escalate on failure, timeout or a failed gate (self-assessment or --check)',
    positional: TASK,
    examples: [
      ['$0 cascade "Summarise CHANGELOG.md" --models haiku,sonnet,opus', 'The first level confident enough answers'],
      ['$0 cascade "Make the build pass" --models sonnet,opus --check "npm run build"', 'The gate is the build'],
    ],
  },
  {
    name: 'panel',
    usage: 'panel <task>',
    describe: 'Experts in parallel with role prompts and one findings schema; an aggregator votes by id',
    positional: TASK,
    examples: [['$0 panel "Is src/ ready to release?" --experts security,performance,maintainability', 'Three experts, a consensus and each vote']],
  },
];
