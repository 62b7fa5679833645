/**
 * The flags of the pattern commands (`n-version`, `debate`, `cascade`, `panel`) and what they map
 * to. `--prompt-file <role>=<file>` replaces a role's prompt template with a file's text (repeatable);
 * panel roles are `role:<expert>`, n-version profiles `profile:<n>`.
 */
import { readFileSync } from 'node:fs';
import type { Options } from 'yargs';
import { defaults } from '../index';

export type PatternCommand = 'n-version' | 'debate' | 'cascade' | 'panel';
export const PATTERN_COMMANDS: readonly PatternCommand[] = ['n-version', 'debate', 'cascade', 'panel'];

export function isPatternCommand(command: string): command is PatternCommand {
  return (PATTERN_COMMANDS as readonly string[]).includes(command);
}

/** Flags of the other commands that the pattern commands take too (shown in their help). */
export const PATTERN_SHARED = [
  'model', 'command', 'permission-mode', 'max-turns', 'max-budget-usd', 'append-system-prompt', 'allowed-tools', 'disallowed-tools',
  'timeout', 'retries', 'retry-delay', 'json', 'quiet', 'board', 'raw', 'redact', 'working-dir', 'log-dir', 'log',
];

/** What the pattern flags map to (undefined: not given). */
export interface PatternFlags {
  readonly n?: number;
  readonly check?: string;
  readonly positions?: readonly string[];
  readonly rounds?: number;
  readonly models?: readonly string[];
  readonly threshold?: number;
  readonly levelTimeout?: number;
  readonly experts?: readonly string[];
  /** Prompt templates by role, read from the files named. */
  readonly prompts?: Readonly<Record<string, string>>;
}

const list = (flag: string) => (raw: unknown): string[] | undefined => {
  if (raw === undefined) return undefined;
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (items.length === 0) throw new Error(`--${flag} must list at least one name, received ${JSON.stringify(raw)}`);
  return items;
};

const number = (flag: string) => (raw: unknown): number | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(Array.isArray(raw) ? raw[raw.length - 1] : raw);
  if (String(raw).trim() === '' || Number.isNaN(value)) throw new Error(`--${flag} must be a number, received ${JSON.stringify(raw)}`);
  return value;
};

/** `--prompt-file role=file`, repeated: each file read now, so a missing one is a usage error before anything runs. */
function promptFiles(raw: unknown): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  const prompts: Record<string, string> = {};
  for (const entry of (Array.isArray(raw) ? raw : [raw]).map(String)) {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) throw new Error(`--prompt-file must be <role>=<file>, received ${JSON.stringify(entry)}`);
    const [role, file] = [entry.slice(0, eq), entry.slice(eq + 1)];
    try {
      prompts[role] = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`--prompt-file ${role}: cannot read ${JSON.stringify(file)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  return prompts;
}

type PatternFlag = { readonly option: Options; readonly on: readonly PatternCommand[] };

export const PATTERN_FLAGS: Record<string, PatternFlag> = {
  n: { on: ['n-version'], option: { requiresArg: true, coerce: number('n'), describe: `Versions to implement in parallel, each in its own git worktree [number] [default: ${defaults.patternVersions}]` } },
  check: { on: ['n-version', 'cascade'], option: { type: 'string', requiresArg: true, describe: 'A command line (run by sh -c) that checks an answer: in each worktree (n-version), or as the gate of each level (cascade; exit 0 passes)' } },
  positions: { on: ['debate'], option: { requiresArg: true, coerce: list('positions'), describe: `The positions, comma-separated, one agent each [default: ${defaults.patternPositions.join(',')}]` } },
  rounds: { on: ['debate'], option: { requiresArg: true, coerce: number('rounds'), describe: `Rounds of arguments before the moderator decides [number] [default: ${defaults.patternRounds}]` } },
  models: { on: ['cascade'], option: { requiresArg: true, coerce: list('models'), describe: `Models, cheapest first, comma-separated [default: ${defaults.patternModels.join(',')}]` } },
  threshold: { on: ['cascade'], option: { requiresArg: true, coerce: number('threshold'), describe: `Self-assessed confidence (0 to 1) a level needs to pass, without --check [number] [default: ${defaults.patternThreshold}]` } },
  'level-timeout': { on: ['cascade'], option: { requiresArg: true, coerce: number('level-timeout'), describe: 'Seconds each level may take; a level that times out escalates [number]' } },
  experts: { on: ['panel'], option: { requiresArg: true, coerce: list('experts'), describe: `The experts, comma-separated [default: ${defaults.patternExperts.join(',')}]` } },
  'prompt-file': { on: PATTERN_COMMANDS, option: { type: 'string', requiresArg: true, coerce: promptFiles, describe: 'Replace a prompt template with a file: <role>=<file> (repeatable; panel: role:<expert>=<file>; n-version: profile:<n>=<file>)' } },
};

/** The pattern flags from yargs' arguments. */
export function patternFlagsFrom(args: Readonly<Record<string, unknown>>): PatternFlags {
  const seconds = args['level-timeout'] as number | undefined;
  const flags: Record<string, unknown> = {
    n: args.n, check: args.check, positions: args.positions, rounds: args.rounds, models: args.models,
    threshold: args.threshold, levelTimeout: seconds, experts: args.experts, prompts: args['prompt-file'],
  };
  for (const key of Object.keys(flags)) if (flags[key] === undefined) delete flags[key];
  return flags as PatternFlags;
}
