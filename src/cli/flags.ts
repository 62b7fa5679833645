/**
 * Every flag of `orchestrate`, in groups, and which commands each applies to (a command's
 * `--help` shows only its own). Numbers keep the text typed for the error message.
 */
import type { Options } from 'yargs';
import { defaults } from '../index';
import { defaultMaxWorkers, parseHalt } from '../toolkit';
import { dashboardFlags } from './dashboard-flags';
import { readJsonSchemaFlag } from './pattern-json-schema';
import { isPatternCommand, PATTERN_COMMANDS, PATTERN_FLAGS, PATTERN_SHARED, type PatternCommand } from './pattern-flags';

/** Parses a numeric option, keeping the text the user typed for the error message. */
export function numberOption(flag: string): (raw: unknown) => number | undefined {
  return (raw) => {
    if (raw === undefined) return undefined;
    const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if ((typeof raw === 'string' && raw.trim() === '') || Number.isNaN(value)) {
      throw new Error(`--${flag} must be a number, received ${JSON.stringify(raw)}`);
    }
    return value;
  };
}

/** Compiles a regular-expression option, naming the flag and the text typed when it does not compile. */
function regexOption(flag: string): (raw: unknown) => RegExp | undefined {
  return (raw) => {
    if (raw === undefined) return undefined;
    const text = Array.isArray(raw) ? String(raw[raw.length - 1]) : String(raw);
    try {
      return new RegExp(text);
    } catch (error) {
      throw new Error(`--${flag} must be a valid regular expression, received ${JSON.stringify(text)}: ${(error as Error).message}`);
    }
  };
}

/** `--max-workers`: a number, or `auto` (computed from the cores and the free memory). */
function maxWorkersOption(raw: unknown): number | 'auto' | undefined {
  if (typeof raw === 'string' && raw.trim() === 'auto') return 'auto';
  try {
    return numberOption('max-workers')(raw);
  } catch {
    throw new Error(`--max-workers must be a number, received ${JSON.stringify(raw)}; use a positive integer or auto`);
  }
}

/** `--names a,b,c` and repeated `--name a`: one list, in order. */
function namesOption(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  return (Array.isArray(raw) ? raw : [raw]).flatMap((value) => String(value).split(','));
}

export type CommandName = 'run' | 'parallel' | 'sequential' | 'fallback' | 'batched' | 'resume' | 'demo' | 'dashboard' | 'worker' | 'workers' | PatternCommand;
/** The commands that run processes (and so can run them on workers with `--redis`). */
export const RUNS: readonly CommandName[] = ['run', 'parallel', 'sequential', 'fallback', 'batched'];
const ALL: CommandName[] = [...RUNS, 'resume', 'demo'];
const CONCURRENT: CommandName[] = ['parallel', 'batched'];
/** The commands that take `--dashboard` (a new command that runs something: add it here). */
const DASHBOARD_LIVE: CommandName[] = [...RUNS, 'demo', ...PATTERN_COMMANDS];

interface Flag {
  readonly option: Options;
  /** The commands whose help shows it. */
  readonly on: readonly CommandName[];
}

const group = (name: string, flags: Record<string, Flag>): Record<string, Flag> =>
  Object.fromEntries(Object.entries(flags).map(([key, flag]) => [key, { ...flag, option: { ...flag.option, group: name } }]));

/**
 * The flags. The boolean ones take `nargs: 0` so that a word after one is never eaten as its
 * value: otherwise `orchestrate parallel --exec false true` parsed as --exec=false with the prompt "true".
 */
export const FLAGS: Record<string, Flag> = {
  ...group('Strategy:', {
    'max-workers': { on: CONCURRENT, option: { alias: 'j', requiresArg: true, coerce: maxWorkersOption, describe: `Most processes at once (batched: per batch); auto: from the cores and free memory [number|auto] [default: ${defaultMaxWorkers()}]` } },
    'batch-size': { on: ['batched'], option: { requiresArg: true, coerce: numberOption('batch-size'), describe: `Processes per batch [number] [default: ${defaults.batchSize}]` } },
    halt: { on: CONCURRENT, option: { type: 'string', requiresArg: true, coerce: (raw: unknown) => parseHalt(String(raw)), describe: "Stop early, as GNU parallel's --halt: never, now,fail=1, soon,fail=30%, now,success=1, soon,done=N" } },
    'pass-output': { on: ['sequential', 'batched'], option: { type: 'boolean', default: false, nargs: 0, describe: 'Give each later process the earlier successful outputs' } },
    'stop-on-failure': { on: ['sequential'], option: { type: 'boolean', default: false, nargs: 0, describe: 'Stop at the first failure' } },
    'start-delay': { on: CONCURRENT, option: { requiresArg: true, coerce: numberOption('start-delay'), describe: 'Seconds between the starts of Claude runs that start together [number] [default: 0]' } },
  }),
  ...group('Processes:', {
    exec: { on: RUNS, option: { type: 'boolean', default: false, nargs: 0, describe: "Run the arguments as commands (split into argv, no shell) instead of prompts; '-' reads commands from stdin, one per line" } },
    names: { on: RUNS, option: { type: 'string', requiresArg: true, coerce: namesOption, describe: 'Name the processes, comma-separated, in order (default process_001, ...)' } },
    name: { on: RUNS, option: { type: 'string', requiresArg: true, describe: 'Name the next process (repeat it, once per process)' } },
    timeout: { on: [...RUNS, 'demo'], option: { requiresArg: true, coerce: numberOption('timeout'), describe: 'Seconds allowed for each process; 0: no timeout [number]' } },
    'kill-grace': { on: RUNS, option: { requiresArg: true, coerce: numberOption('kill-grace'), describe: `Seconds between SIGTERM and SIGKILL when a process is stopped [number] [default: ${defaults.killGraceMs / 1000}]` } },
    retries: { on: ALL, option: { requiresArg: true, coerce: numberOption('retries'), describe: 'Try each failed process again up to N times [number] [default: 0]' } },
    'retry-delay': { on: ALL, option: { requiresArg: true, coerce: numberOption('retry-delay'), describe: `Seconds before the first retry [number] [default: ${defaults.retryDelayMs / 1000}]` } },
    'retry-backoff': { on: ALL, option: { type: 'string', requiresArg: true, choices: ['fixed', 'exponential'], describe: `fixed: every wait is --retry-delay; exponential: doubles each time [default: ${defaults.retryBackoff}]` } },
    'retry-max-delay': { on: ALL, option: { requiresArg: true, coerce: numberOption('retry-max-delay'), describe: 'Longest wait between attempts, in seconds [number] [default: no cap]' } },
    'memory-limit': { on: RUNS, option: { requiresArg: true, coerce: numberOption('memory-limit'), describe: 'MiB of memory each process may allocate (RLIMIT_DATA, through prlimit) [number]' } },
    'cpu-limit': { on: RUNS, option: { requiresArg: true, coerce: numberOption('cpu-limit'), describe: 'Seconds of CPU time for each process (SIGXCPU, then SIGKILL a second later) [number]' } },
    nice: { on: RUNS, option: { requiresArg: true, coerce: numberOption('nice'), describe: 'Niceness of each process, -20 to 19 (through nice) [number]' } },
  }),
  ...group('Claude:', {
    model: { on: ALL, option: { type: 'string', describe: 'Claude model (--model)' } },
    command: { on: [...RUNS, 'demo'], option: { type: 'string', describe: `Claude executable [default: ${defaults.claudeCommand}; demo: the simulated agent]` } },
    'output-format': { on: ALL, option: { type: 'string', choices: ['stream-json', 'json', 'text'], describe: 'How claude prints its run: stream-json (live text, tool uses, cost), json, or text [default: stream-json]' } },
    'permission-mode': { on: ALL, option: { type: 'string', describe: 'claude --permission-mode (acceptEdits, bypassPermissions, default, plan, ...) [default: --dangerously-skip-permissions]' } },
    'max-turns': { on: ALL, option: { requiresArg: true, coerce: numberOption('max-turns'), describe: 'Most agent turns per run (claude --max-turns) [number]' } },
    'max-budget-usd': { on: ALL, option: { requiresArg: true, coerce: numberOption('max-budget-usd'), describe: 'Most US dollars per run (claude --max-budget-usd) [number]' } },
    'fallback-model': { on: ALL, option: { type: 'string', describe: 'Model claude switches to when the first is overloaded (--fallback-model)' } },
    'append-system-prompt': { on: ALL, option: { type: 'string', describe: 'Text appended to the system prompt (--append-system-prompt)' } },
    'allowed-tools': { on: ALL, option: { type: 'string', describe: 'Comma-separated tools allowed without asking, e.g. "Read,Bash(git log:*)"' } },
    'disallowed-tools': { on: ALL, option: { type: 'string', describe: 'Comma-separated tools claude may not use' } },
    'json-schema': { on: ALL, option: { requiresArg: true, coerce: (raw: unknown) => readJsonSchemaFlag('json-schema', raw), describe: 'Structured output: a JSON Schema (inline JSON or a file) every answer must match (claude --json-schema); a run without a valid answer fails [string]' } },
    'partial-messages': { on: ALL, option: { type: 'boolean', default: true, nargs: 0, describe: 'stream-json: live text token by token (claude --include-partial-messages); --no-partial-messages for a CLI without that flag' } },
  }),
  ...group('Output:', {
    json: { on: ALL, option: { type: 'boolean', default: false, nargs: 0, describe: 'Print only newline-delimited JSON events on stdout' } },
    quiet: { on: ALL, option: { type: 'boolean', alias: 'q', default: false, nargs: 0, describe: 'No live output; only the summary' } },
    board: { on: ALL, option: { type: 'boolean', default: true, nargs: 0, describe: 'On a terminal, a live status board under the output (--no-board: prefixed lines only)' } },
    filter: { on: ALL, option: { requiresArg: true, coerce: regexOption('filter'), describe: 'Show live only the output lines matching this regular expression [string]' } },
    raw: { on: ALL, option: { type: 'boolean', default: false, nargs: 0, describe: 'Live output lines as written, colours and escape sequences included (default: colours dropped, other controls shown escaped, e.g. \\x1b)' } },
    redact: { on: ALL, option: { type: 'boolean', default: false, nargs: 0, describe: 'With --json: redact secrets in the events too (the human output is always redacted)' } },
  }),
  ...group('Logs:', {
    'working-dir': { on: ALL, option: { type: 'string', requiresArg: true, default: process.cwd(), defaultDescription: 'the current directory', describe: 'Where processes run and logs go' } },
    'log-dir': { on: [...ALL, 'dashboard'], option: { type: 'string', requiresArg: true, describe: `Directory holding one directory per session [default: <working-dir>/${defaults.logRoot}]` } },
    log: { on: ALL, option: { type: 'boolean', default: true, nargs: 0, describe: 'Session logs, plan and summary.json (--no-log: none; nothing to resume later)' } },
    'strict-logs': { on: ALL, option: { type: 'boolean', default: false, nargs: 0, describe: 'Exit 3 when every job succeeded but a log file could not be written (a full disk)' } },
    'resume-failed': { on: RUNS, option: { type: 'string', requiresArg: true, describe: 'Leave out the processes that succeeded in this earlier session (id or directory); run the rest' } },
  }),
  ...group('Workspaces:', {
    workspace: { on: RUNS, option: { type: 'string', requiresArg: true, choices: ['worktree'], describe: 'Run each process in a fresh git worktree of the repository at --working-dir, on branch rxo/<session id>/<process id> (docs/workspaces.md)' } },
    'workspace-keep': { on: RUNS, option: { type: 'string', requiresArg: true, choices: ['always', 'on-change', 'never'], describe: 'What is left of each worktree afterwards: on-change keeps those with changes (committed on their branch) [default: on-change]' } },
  }),
  ...group('Resume:', {
    'kill-stale': { on: ['resume'], option: { type: 'boolean', default: false, nargs: 0, describe: "First stop the earlier run's processes that still run (SIGTERM, then SIGKILL after the grace)" } },
    yes: { on: ['resume'], option: { type: 'boolean', alias: 'y', default: false, nargs: 0, describe: 'Run what the plan lists without asking (required when stdin or stdout is not a terminal)' } },
    'trust-plan': { on: ['resume'], option: { type: 'boolean', default: false, nargs: 0, describe: 'Accept a plan.json that has no integrity check (written before plans were signed); a changed plan is still refused' } },
  }),
  ...group('Dashboard:', dashboardFlags<CommandName>({ live: DASHBOARD_LIVE, serve: ['dashboard'] })),
  ...group('Pattern:', PATTERN_FLAGS),
  ...group('Cluster:', {
    redis: { on: RUNS, option: { type: 'string', requiresArg: true, describe: 'Run the processes on workers through this Redis (redis:// or rediss://; default: RXO_REDIS_URL)' } },
    queue: { on: RUNS, option: { type: 'string', requiresArg: true, describe: `Queue of the workers [default: ${defaults.clusterQueue}]` } },
    'secret-file': { on: RUNS, option: { type: 'string', requiresArg: true, describe: 'File whose first line is the cluster secret (default: RXO_CLUSTER_SECRET)' } },
    'pass-env': { on: RUNS, option: { type: 'string', requiresArg: true, describe: "Pass this variable's value to the workers (repeat, or comma-separated); nothing else of this environment travels" } },
  }),
};

/** Options that take no value (a `-` after one of them is a positional, not its value). */
export const VALUELESS = new Set([
  ...Object.entries(FLAGS).filter(([, flag]) => flag.option.nargs === 0).flatMap(([key, flag]) => [key, ...(typeof flag.option.alias === 'string' ? [flag.option.alias] : [])]),
  'no-board', 'no-log', 'no-partial-messages', 'help', 'version',
]);

/** The flags a command's help leaves out. */
export function hiddenFor(command: CommandName | undefined): string[] {
  return Object.entries(FLAGS)
    .filter(([key, flag]) => (command === undefined ? flag.on.length < ALL.length : !flag.on.includes(command) && !(isPatternCommand(command) && PATTERN_SHARED.includes(key))))
    .map(([key]) => key);
}
