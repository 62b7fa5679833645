#!/usr/bin/env node
/**
 * `orchestrate`: the command-line interface. Only yargs configuration mapped onto `runCli`;
 * all behaviour lives in the library and in app.ts.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { defaultMaxWorkers, defaults, parseHalt } from '../index';
import { EXIT, runCli, type CliOptions } from './app';
import { claudeOptionsFrom } from './claude-summary';
import type { StrategyName } from './run-strategy';
import { expandStdinItems, protectStdinDash, STDIN_WORD } from './stdin-commands';
import { createRedactor, secretValues } from '../logging/redact';
import { inertLines } from './render';

/** Options that take no value (a `-` after one of them is a positional, not its value). */
const FLAGS = new Set(['exec', 'json', 'quiet', 'q', 'pass-output', 'stop-on-failure', 'board', 'no-board', 'strict-logs', 'help', 'version']);

const STRATEGIES: ReadonlyArray<[StrategyName, string]> = [
  ['parallel', 'Run the prompts at the same time, up to --max-workers at once'],
  ['sequential', 'Run the prompts one after another (--pass-output threads outputs on)'],
  ['fallback', 'Try the prompts in order until one succeeds'],
  ['batched', 'Run the prompts in batches of --batch-size, batch after batch'],
];

/** Parses a numeric option, keeping the text the user typed for the error message. */
function numberOption(flag: string): (raw: unknown) => number | undefined {
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

/**
 * Words after `--` are prompts (or commands) even when they start with `-`. yargs leaves them out
 * of a command's positionals (`run -- -x` was a missing prompt, `parallel a -- -x` dropped `-x`),
 * so each goes to yargs as a placeholder no real argument can equal (it holds NUL bytes, which no
 * argument can) and is put back after parsing.
 */
function protectAfterDoubleDash(argv: readonly string[]): { args: string[]; restore(text: string): string } {
  const dash = argv.indexOf('--');
  if (dash < 0) return { args: [...argv], restore: (text) => text };
  const words = argv.slice(dash + 1);
  return {
    args: [...argv.slice(0, dash), ...words.map((_, i) => `\0rxo-word-${i}\0`)],
    restore: (text) => text.replace(/\0rxo-word-(\d+)\0/g, (_, i: string) => words[Number(i)]),
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

async function main(argv: string[]): Promise<number> {
  const usageErrors: string[] = [];
  const { args: parsedArgv, restore: restoreWords } = protectAfterDoubleDash(protectStdinDash(argv, FLAGS));
  // The stdin placeholder stays in the items until expandStdinItems replaces it (a `-` after `--`
  // is a plain argument); in messages it reads `-` again.
  const restore = (text: string): string => restoreWords(text);
  const dashShown = (text: string): string => text.replaceAll(STDIN_WORD, '-');
  const parser = yargs(parsedArgv)
    .scriptName('orchestrate')
    .usage('$0 <command> [options]\n\nOrchestrate Claude Code CLI runs (or any commands, with --exec) using RxJS strategies.')
    .command('run <prompt>', 'Run one prompt (or, with --exec, one command)', (y) =>
      y.positional('prompt', { type: 'string', describe: 'The prompt, or a command line with --exec' }),
    )
    .command('resume <session>', 'Run again, in a new session, what failed or never ran in an earlier session (its id or directory), with the same strategy and options', (y) =>
      y.positional('session', { type: 'string', describe: 'A session id (looked up under the log directory) or a session directory' }),
    )
    .command('demo', 'Run the built-in demo: parallel analysis, a sequential pipeline and a fallback, on the bundled simulated agent (no credentials needed; --command claude runs it for real)')
    // The flags take `nargs: 0` so that a word after one is never eaten as its value: otherwise
    // `orchestrate parallel --exec false true` parsed as --exec=false with the prompt "true".
    .options({
      'max-workers': {
        requiresArg: true,
        coerce: maxWorkersOption,
        describe: `Most processes at once (parallel; batched: per batch); auto: from the cores and free memory [number|auto] [default: ${defaultMaxWorkers()}]`,
      },
      // Retry and halt (issue 6)
      retries: { requiresArg: true, coerce: numberOption('retries'), describe: 'Try each failed process again up to N times [number] [default: 0]' },
      'retry-delay': { requiresArg: true, coerce: numberOption('retry-delay'), describe: `Seconds before the first retry [number] [default: ${defaults.retryDelayMs / 1000}]` },
      'retry-backoff': { type: 'string', requiresArg: true, choices: ['fixed', 'exponential'], describe: `fixed: every wait is --retry-delay; exponential: doubles each time [default: ${defaults.retryBackoff}]` },
      'retry-max-delay': { requiresArg: true, coerce: numberOption('retry-max-delay'), describe: 'Longest wait between attempts, in seconds [number] [default: no cap]' },
      halt: {
        type: 'string',
        requiresArg: true,
        coerce: (raw: unknown) => parseHalt(String(raw)),
        describe: "Stop early, as GNU parallel's --halt (parallel, batched): never, now,fail=1, soon,fail=30%, now,success=1, soon,done=N",
      },
      'batch-size': { requiresArg: true, coerce: numberOption('batch-size'), describe: 'Processes per batch (batched) [number] [default: 2]' },
      'pass-output': { type: 'boolean', default: false, nargs: 0, describe: 'Give each later process the earlier successful outputs (sequential, batched)' },
      'stop-on-failure': { type: 'boolean', default: false, nargs: 0, describe: 'Stop at the first failure (sequential)' },
      model: { type: 'string', describe: 'Claude model (--model)' },
      timeout: { requiresArg: true, coerce: numberOption('timeout'), describe: 'Seconds allowed for each process; 0: no timeout [number]' },
      'working-dir': { type: 'string', default: process.cwd(), defaultDescription: 'the current directory', describe: 'Where processes run and logs go' },
      'log-dir': { type: 'string', describe: `Directory holding one directory per session [default: <working-dir>/${defaults.logRoot}]` },
      command: { type: 'string', describe: `Claude executable [default: ${defaults.claudeCommand}; demo: the simulated agent]` },
      exec: { type: 'boolean', default: false, nargs: 0, describe: "Treat the arguments as commands to run (split into argv, no shell) instead of prompts; '-' reads commands from stdin, one per line" },
      'strict-logs': { type: 'boolean', default: false, nargs: 0, describe: 'Exit 3 when every job succeeded but a log file could not be written (a full disk); without it the exit code is decided by the jobs alone' },
      json: { type: 'boolean', default: false, nargs: 0, describe: 'Print only newline-delimited JSON events on stdout' },
      quiet: { type: 'boolean', alias: 'q', default: false, nargs: 0, describe: 'No live output; only the summary' },
      // Resource limits, job log and resume (issue 6)
      'memory-limit': { requiresArg: true, coerce: numberOption('memory-limit'), describe: 'MiB of memory each process may allocate (RLIMIT_DATA, through prlimit) [number]' },
      'cpu-limit': { requiresArg: true, coerce: numberOption('cpu-limit'), describe: 'Seconds of CPU time for each process (SIGXCPU, then SIGKILL a second later) [number]' },
      nice: { requiresArg: true, coerce: numberOption('nice'), describe: 'Niceness of each process, -20 to 19 (through nice) [number]' },
      'resume-failed': { type: 'string', requiresArg: true, describe: 'Leave out the processes that succeeded in this earlier session (id or directory); run the rest' },
      // Live board and output filtering (issue 6)
      board: { type: 'boolean', default: true, nargs: 0, describe: 'On a terminal, a live status board under the output (--no-board: prefixed lines only)' },
      filter: { requiresArg: true, coerce: regexOption('filter'), describe: 'Show live only the output lines matching this regular expression [string]' },
      // Resume safety (issue 10)
      'kill-stale': { type: 'boolean', default: false, nargs: 0, describe: 'resume: first stop the earlier run\'s processes that still run (SIGTERM, then SIGKILL after the grace)' },
      yes: { type: 'boolean', alias: 'y', default: false, nargs: 0, describe: 'resume: run what the plan lists without asking (required when stdin or stdout is not a terminal)' },
      'trust-plan': { type: 'boolean', default: false, nargs: 0, describe: 'resume: accept a plan.json that has no integrity check (written before plans were signed); a changed plan is still refused' },
      // Secrets and terminal safety (issue 10)
      raw: { type: 'boolean', default: false, nargs: 0, describe: 'Live output lines as the processes wrote them, colours and escape sequences included (default: colours dropped, other control characters shown escaped, e.g. \\x1b)' },
      redact: { type: 'boolean', default: false, nargs: 0, describe: 'With --json: redact secrets in the events too (default: byte-exact; the human output is always redacted)' },
    })
    // Claude process options (issue 3): mapped onto ClaudeProcess options for every prompt.
    .options({
      'output-format': { type: 'string', choices: ['stream-json', 'json', 'text'], describe: 'How claude prints its run: stream-json (live text, tool uses, cost) or json, or text (the plain answer) [default: stream-json]' },
      'permission-mode': { type: 'string', describe: 'claude --permission-mode (acceptEdits, bypassPermissions, default, plan, ...) [default: --dangerously-skip-permissions]' },
      'max-turns': { requiresArg: true, coerce: numberOption('max-turns'), describe: 'Most agent turns per run (claude --max-turns) [number]' },
      'max-budget-usd': { requiresArg: true, coerce: numberOption('max-budget-usd'), describe: 'Most US dollars per run (claude --max-budget-usd) [number]' },
      'fallback-model': { type: 'string', describe: 'Model claude switches to when the first is overloaded (--fallback-model)' },
      'append-system-prompt': { type: 'string', describe: 'Text appended to the system prompt (--append-system-prompt)' },
      'allowed-tools': { type: 'string', describe: 'Comma-separated tools allowed without asking, e.g. "Read,Bash(git log:*)"' },
      'disallowed-tools': { type: 'string', describe: 'Comma-separated tools claude may not use' },
      'start-delay': { requiresArg: true, coerce: numberOption('start-delay'), describe: 'Seconds between the starts of runs that start together (parallel, batched) [number] [default: 0]' },
    })
    .strict()
    .demandCommand(1, 'Give a command: run, parallel, sequential, fallback, batched, resume or demo.')
    .recommendCommands()
    .help()
    .version()
    .exitProcess(false)
    .fail((msg, err) => {
      usageErrors.push(msg ?? err?.message ?? 'invalid usage');
    })
    .wrap(Math.min(110, process.stdout.columns ?? 100));
  for (const [name, describe] of STRATEGIES) {
    parser.command(`${name} <prompts..>`, describe, (y) =>
      y.positional('prompts', { type: 'string', array: true, describe: 'Prompts, or command lines with --exec' }),
    );
  }

  const args = await parser.parseAsync();
  if (usageErrors.length > 0) {
    // yargs may report several problems; the last is the most specific, a suggestion is worth adding.
    const suggestion = usageErrors.find((text) => text.startsWith('Did you mean'));
    const shown = [usageErrors[usageErrors.length - 1], ...(suggestion && suggestion !== usageErrors.at(-1) ? [suggestion] : [])].map((text) => dashShown(restore(text)));
    process.stderr.write(`orchestrate: ${shown.join('\n')}\nRun 'orchestrate --help' for usage.\n`);
    return EXIT.usage;
  }
  const command = String(args._[0] ?? '');
  if (args.help || args.version || command === '') return EXIT.ok;
  let items = (
    command === 'run' ? [String(args.prompt)] : command === 'resume' ? [String(args.session)] : ((args.prompts as string[] | undefined) ?? []).map(String)
  ).map(restore);
  if (command !== 'resume' && command !== 'demo') {
    try {
      items = await expandStdinItems(items, { exec: args.exec, stdin: process.stdin });
    } catch (error) {
      process.stderr.write(`orchestrate: ${(error as Error).message}\nRun 'orchestrate --help' for usage.\n`);
      return EXIT.usage;
    }
  }
  const limits = { memoryMb: args['memory-limit'], cpuSeconds: args['cpu-limit'], nice: args.nice };
  const options: CliOptions = {
    command: command as CliOptions['command'],
    items,
    maxWorkers: args['max-workers'],
    batchSize: args['batch-size'] ?? 2,
    passOutput: args['pass-output'],
    stopOnFailure: args['stop-on-failure'],
    model: args.model,
    timeout: args.timeout,
    retry: args.retries === undefined ? undefined : {
      count: args.retries,
      delayMs: args['retry-delay'] === undefined ? undefined : args['retry-delay'] * 1000,
      backoff: args['retry-backoff'] as 'fixed' | 'exponential' | undefined,
      maxDelayMs: args['retry-max-delay'] === undefined ? undefined : args['retry-max-delay'] * 1000,
    },
    halt: args.halt,
    workingDir: args['working-dir'],
    logDir: args['log-dir'],
    claudeCommand: args.command,
    exec: args.exec,
    strictLogs: args['strict-logs'],
    json: args.json,
    quiet: args.quiet,
    // Claude process options (issue 3)
    claude: claudeOptionsFrom({
      outputFormat: args['output-format'],
      permissionMode: args['permission-mode'],
      maxTurns: args['max-turns'],
      maxBudgetUsd: args['max-budget-usd'],
      fallbackModel: args['fallback-model'],
      appendSystemPrompt: args['append-system-prompt'],
      allowedTools: args['allowed-tools'],
      disallowedTools: args['disallowed-tools'],
    }),
    startDelay: args['start-delay'],
    limits: Object.values(limits).some((value) => value !== undefined)
      ? Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined))
      : undefined,
    resumeFailed: args['resume-failed'],
    // Live board and output filtering (issue 6)
    board: args.board,
    filter: args.filter,
    // Resume safety (issue 10)
    resumeFlags: { killStale: args['kill-stale'], yes: args.yes, trustPlan: args['trust-plan'] },
    // Secrets and terminal safety (issue 10)
    raw: args.raw,
    redact: args.redact,
  };
  return runCli(options, { stdout: process.stdout, stderr: process.stderr, env: process.env, get stdin() { return process.stdin; } });
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A last resort: still redacted of the host's secrets, and inert (it may quote a child's bytes).
    const text = error instanceof Error ? error.stack ?? error.message : String(error);
    process.stderr.write(`orchestrate: ${inertLines(createRedactor(secretValues(process.env))(text))}\n`);
    process.exitCode = EXIT.failed;
  },
);
