/** The pattern commands as `orchestrate` lists them: usage, description, examples. */
import type { PatternCommand } from './pattern-flags';

/** The shape of commands.ts's `CommandSpec`, for the pattern commands. */
interface PatternCommandSpec {
  readonly name: PatternCommand;
  readonly usage: string;
  readonly describe: string;
  readonly positional: { readonly key: string; readonly describe: string };
  readonly examples: ReadonlyArray<readonly [string, string]>;
}

const TASK = { key: 'task', describe: 'The task or question' };

export const PATTERN_COMMAND_SPECS: readonly PatternCommandSpec[] = [
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
