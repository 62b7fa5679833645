/**
 * The command line to one options object: yargs configured from flags.ts and commands.ts, each
 * command's `--help` showing only its own flags, grouped, with examples. Usage errors name the
 * flags as typed, suggest the nearest flag for a typo, and end with the `--help` hint for the
 * command given. Nothing here runs anything; the help and the errors go to the writers given.
 */
import yargs from 'yargs';
import { claudeOptionsFrom } from './claude-summary';
import { COMMAND_NAMES, COMMANDS } from './commands';
import type { CliOptions } from './cli-options';
import { flagSuggestions } from './did-you-mean';
import { FLAGS, hiddenFor, RUNS, VALUELESS, type CommandName } from './flags';
import { clusterCliOptions } from './cluster-flags';
import { expandStdinItems, protectStdinDash, STDIN_WORD } from './stdin-commands';
import { dashboardCliOptions, splitDashboardPort } from './dashboard-flags';
import { isPatternCommand, patternFlagsFrom } from './pattern-flags';
import { misplacedFlags } from './misplaced-flags';

/** A flag given in seconds, as the library's milliseconds (checked in flag terms later). */
function msOf(seconds: unknown): number | undefined {
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

export interface ParseIO {
  readonly stdout: { write(text: string): unknown; readonly columns?: number };
  readonly stderr: { write(text: string): unknown };
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Where RXO_REDIS_URL is read. @default none */
  readonly env?: NodeJS.ProcessEnv;
}

/** Options to run with, or the exit code when there is nothing to run (help, version, a usage error: already written). */
export type Parsed = { readonly options: CliOptions } | { readonly exit: number };

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

const KNOWN_FLAGS = [...Object.keys(FLAGS), 'no-board', 'no-log', 'help', 'version'];

function usageError(io: ParseIO, command: CommandName | undefined, lines: readonly string[]): Parsed {
  io.stderr.write(`orchestrate: ${lines.join('\n')}\nRun 'orchestrate ${command ? `${command} ` : ''}--help' for usage.\n`);
  return { exit: 2 };
}

export async function parseArgs(argv: readonly string[], io: ParseIO): Promise<Parsed> {
  const usageErrors: string[] = [];
  const { args: parsedArgv, restore } = protectAfterDoubleDash(protectStdinDash(splitDashboardPort(argv), VALUELESS));
  const dashShown = (text: string): string => restore(text).replaceAll(STDIN_WORD, '-');
  const given = parsedArgv.find((word): word is CommandName => COMMAND_NAMES.includes(word as CommandName));
  const parser = yargs(parsedArgv)
    .scriptName('orchestrate')
    .usage('$0 <command> [options]\n\nOrchestrate Claude Code CLI runs (or any commands, with --exec) using RxJS strategies.\nRun \'$0 <command> --help\' for the options of a command.')
    .parserConfiguration({ 'camel-case-expansion': false })
    .options(Object.fromEntries(Object.entries(FLAGS).map(([key, flag]) => [key, flag.option])))
    .strict()
    .demandCommand(1, 'Give a command: run, parallel, sequential, fallback, batched, resume or demo.')
    .recommendCommands()
    .help()
    .version()
    .exitProcess(false)
    .fail((msg, err) => {
      usageErrors.push(msg ?? err?.message ?? 'invalid usage');
    })
    .wrap(Math.min(110, io.stdout.columns ?? 100));
  for (const key of hiddenFor(given)) parser.hide(key);
  for (const command of COMMANDS) {
    parser.command(command.usage, command.describe, (y) => {
      const { positional } = command;
      if (positional) y.positional(positional.key, { type: 'string', describe: positional.describe, ...(positional.array ? { array: true } : {}) });
      for (const [example, meaning] of command.examples) y.example(example, meaning);
      return y;
    });
  }
  let output = '';
  const args = await parser.parseAsync(parsedArgv, {}, (_error, _argv, text) => {
    output = text;
  });
  if (usageErrors.length > 0) {
    // yargs may report several problems; the last is the most specific, a suggestion is worth adding.
    const last = usageErrors[usageErrors.length - 1];
    const suggestion = usageErrors.find((text) => text.startsWith('Did you mean'));
    const typedFlags = flagSuggestions(last, KNOWN_FLAGS).filter((line) => argv.some((word) => line.includes(`(for ${word.replace(/=.*$/, '')})`)));
    const shown = [last, ...(suggestion && suggestion !== last ? [suggestion] : []), ...typedFlags].map(dashShown);
    return usageError(io, given, shown);
  }
  if (output) io.stdout.write(`${output}\n`);
  const command = String(args._[0] ?? '') as CommandName | '';
  if (args.help || args.version || command === '') return { exit: 0 };
  const misplaced = misplacedFlags(parsedArgv, command);
  if (misplaced.length > 0) return usageError(io, command, misplaced.map(dashShown));
  let items = (isPatternCommand(command) ? [String(args.task)] : command === 'run' ? [String(args.prompt)] : command === 'resume' ? [String(args.session)] : ((args.prompts as string[] | undefined) ?? []).map(String)).map(restore);
  if (command !== 'resume' && command !== 'demo') {
    try {
      items = await expandStdinItems(items, { exec: Boolean(args.exec), stdin: io.stdin });
    } catch (error) {
      return usageError(io, command, [(error as Error).message]);
    }
  }
  try {
    const options = cliOptions(command, items, args as Record<string, unknown>);
    const cluster = RUNS.includes(command) ? clusterCliOptions(args as Record<string, unknown>, io.env ?? {}) : undefined;
    return { options: cluster ? { ...options, cluster } : options };
  } catch (error) {
    return usageError(io, command, [(error as Error).message]);
  }
}

function cliOptions(command: CommandName, items: string[], args: Record<string, unknown>): CliOptions {
  const limits = { memoryMb: args['memory-limit'], cpuSeconds: args['cpu-limit'], nice: args.nice };
  const repeated = args.name === undefined ? [] : Array.isArray(args.name) ? args.name : [args.name];
  const names = [...((args.names as string[] | undefined) ?? []), ...repeated.map(String)];
  const value = <T>(key: string): T => args[key] as T;
  return {
    command: command as CliOptions['command'], // worker and workers never reach here (cli.ts routes them)
    items,
    ...(names.length > 0 ? { names } : {}),
    maxWorkers: value('max-workers'),
    batchSize: value('batch-size'),
    passOutput: Boolean(args['pass-output']),
    stopOnFailure: Boolean(args['stop-on-failure']),
    model: value('model'),
    timeout: value('timeout'),
    killGrace: value('kill-grace'),
    retry: args.retries === undefined ? undefined : {
      count: value('retries'),
      delayMs: msOf(value('retry-delay')),
      backoff: value('retry-backoff'),
      maxDelayMs: msOf(value('retry-max-delay')),
    },
    halt: value('halt'),
    workingDir: String(args['working-dir']),
    logRoot: value('log-dir'),
    log: args.log !== false,
    claudeCommand: value('command'),
    exec: Boolean(args.exec),
    strictLogs: Boolean(args['strict-logs']),
    json: Boolean(args.json),
    quiet: Boolean(args.quiet),
    claude: claudeOptionsFrom({
      outputFormat: value('output-format'),
      permissionMode: value('permission-mode'),
      maxTurns: value('max-turns'),
      maxBudgetUsd: value('max-budget-usd'),
      fallbackModel: value('fallback-model'),
      appendSystemPrompt: value('append-system-prompt'),
      allowedTools: value('allowed-tools'),
      disallowedTools: value('disallowed-tools'),
      jsonSchema: value('json-schema'),
      partialMessages: args['partial-messages'] === false ? false : undefined,
    }),
    startDelay: value('start-delay'),
    limits: Object.values(limits).some((v) => v !== undefined) ? Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) : undefined,
    resumeFailed: value('resume-failed'),
    board: args.board !== false,
    filter: value('filter'),
    resumeFlags: { killStale: Boolean(args['kill-stale']), yes: Boolean(args.yes), trustPlan: Boolean(args['trust-plan']) },
    raw: Boolean(args.raw),
    workspace: value('workspace'),
    workspaceKeep: value('workspace-keep'),
    redact: Boolean(args.redact),
    dashboard: dashboardCliOptions(command, args),
    ...(isPatternCommand(command) ? { pattern: patternFlagsFrom(args) } : {}),
  };
}
