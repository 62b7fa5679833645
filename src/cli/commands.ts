/**
 * The subcommands of `orchestrate`: what each does, its positionals, and two or three examples
 * for its `--help`.
 */
import type { CommandName } from './flags';
import { PATTERN_COMMAND_SPECS } from './pattern-commands';

export interface CommandSpec {
  readonly name: CommandName;
  /** yargs' command string, e.g. `parallel <prompts..>`. */
  readonly usage: string;
  readonly describe: string;
  readonly positional?: { readonly key: string; readonly describe: string; readonly array?: boolean };
  readonly examples: ReadonlyArray<readonly [string, string]>;
}

const PROMPTS = { key: 'prompts', describe: 'Prompts, or command lines with --exec', array: true };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    usage: 'run <prompt>',
    describe: 'Run one prompt (or, with --exec, one command)',
    positional: { key: 'prompt', describe: 'The prompt, or a command line with --exec' },
    examples: [
      ['$0 run "Summarise README.md"', 'One Claude run, in the current directory'],
      ['$0 run --exec "npm test" --timeout 600', 'One command, stopped after ten minutes'],
    ],
  },
  {
    name: 'parallel',
    usage: 'parallel <prompts..>',
    describe: 'Run the prompts at the same time, up to --max-workers at once',
    positional: PROMPTS,
    examples: [
      ['$0 parallel -j 3 "Review a.ts" "Review b.ts" "Review c.ts"', 'Three Claude runs at once'],
      ['$0 parallel --exec --names lint,test "npm run lint" "npm test"', 'Two commands, named in the output and logs'],
      ["printf 'make a\\nmake b\\n' | $0 parallel --exec - --halt now,fail=1", 'Commands from stdin; stop all at the first failure'],
    ],
  },
  {
    name: 'sequential',
    usage: 'sequential <prompts..>',
    describe: 'Run the prompts one after another (--pass-output threads outputs on)',
    positional: PROMPTS,
    examples: [
      ['$0 sequential --pass-output "List the modules" "Pick the riskiest one"', 'The second run sees the first one\'s answer'],
      ['$0 sequential --exec --stop-on-failure "npm ci" "npm test"', 'Stop at the first failure'],
    ],
  },
  {
    name: 'fallback',
    usage: 'fallback <prompts..>',
    describe: 'Try the prompts in order until one succeeds',
    positional: PROMPTS,
    examples: [
      ['$0 fallback --exec "curl -fsS https://a.example" "curl -fsS https://b.example"', 'The first mirror that answers'],
      ['$0 fallback --model opus "Plan the release" "Plan the release, briefly"', 'A cheaper prompt when the first fails'],
    ],
  },
  {
    name: 'batched',
    usage: 'batched <prompts..>',
    describe: 'Run the prompts in batches of --batch-size, batch after batch',
    positional: PROMPTS,
    examples: [
      ['$0 batched --batch-size 2 "Fix a.ts" "Fix b.ts" "Fix c.ts" "Fix d.ts"', 'Two at a time, batch after batch'],
      ['$0 batched --exec --batch-size 4 --pass-output "./step 1" "./step 2"', 'Each batch gets the earlier outputs on stdin'],
    ],
  },
  {
    name: 'resume',
    usage: 'resume <session>',
    describe: 'Run again, in a new session, what failed or never ran in an earlier session (its id or directory), with the same strategy and options',
    positional: { key: 'session', describe: 'A session id (looked up under the log directory) or a session directory' },
    examples: [
      ['$0 resume cli-parallel_20250101-120000_abcd1234', 'Asks before running (on a terminal)'],
      ['$0 resume ./.claude/runtime/logs/cli-parallel_20250101-120000_abcd1234 --yes', 'Without asking (scripts, CI)'],
    ],
  },
  {
    name: 'demo',
    usage: 'demo',
    describe: 'Run the built-in demo: parallel analysis, a sequential pipeline and a fallback, on the bundled simulated agent (no credentials needed; --command claude runs it for real)',
    examples: [
      ['$0 demo', 'On the simulated agent, in a few seconds'],
      ['$0 demo --command claude --model haiku', 'The same plan on the real Claude CLI'],
    ],
  },
  {
    name: 'dashboard',
    usage: 'dashboard',
    describe: 'Serve a web dashboard of every session under the log directory (a list, and each session replayed from its logs and summary) until Ctrl-C',
    examples: [
      ['$0 dashboard', 'The sessions under ./.claude/runtime/logs, on a free port'],
      ['$0 dashboard --log-dir /var/log/agents --port 8080', 'Another log directory, a fixed port'],
    ],
  },
  ...PATTERN_COMMAND_SPECS,
  // Scale-out (issue 14): handled by worker-command.ts before this parser (listed here for the help).
  {
    name: 'worker',
    usage: 'worker',
    describe: 'Run processes for clients on this machine: consume the queue on --redis until SIGINT/SIGTERM (orchestrate worker --help)',
    examples: [['RXO_CLUSTER_SECRET=... $0 worker --redis redis://:pw@host:6379 --concurrency 4', 'Prints "ready <id> on <host>" once consuming']],
  },
  {
    name: 'workers',
    usage: 'workers',
    describe: 'List the live workers on --redis and the runs they hold (orchestrate workers --help)',
    examples: [['$0 workers --redis redis://:pw@host:6379', 'One line per worker']],
  },
];

export const COMMAND_NAMES = COMMANDS.map((command) => command.name);
