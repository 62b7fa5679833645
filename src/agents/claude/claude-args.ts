/**
 * The Claude CLI options that become command-line flags: their checks, the flags themselves, and
 * the whole command line of a run (the prompt as an argument, or on stdin when too large).
 */
import { defaults } from '../../defaults';
import { checkBoolean, checkPositiveInteger, checkString, checkStringArray, invalidOption } from '../../validate';
import type { ClaudeFlagOptions, ClaudeOutputFormat } from './claude-spec';
import { promptFitsArgv } from './prompt-delivery';
import { jsonSchemaArg, parseJsonSchema } from './structured-output';

export type { ClaudeFlagOptions, ClaudeOutputFormat } from './claude-spec';

export const OUTPUT_FORMATS: readonly ClaudeOutputFormat[] = ['stream-json', 'json', 'text'];

export function checkClaudeFlags(options: ClaudeFlagOptions): void {
  for (const key of ['model', 'permissionMode', 'fallbackModel', 'appendSystemPrompt', 'sessionId', 'resume'] as const) {
    if (options[key] !== undefined) checkString(key, options[key]);
  }
  if (options.outputFormat !== undefined && !OUTPUT_FORMATS.includes(options.outputFormat)) {
    throw invalidOption('outputFormat', `one of ${OUTPUT_FORMATS.join(', ')}`, options.outputFormat);
  }
  checkBoolean('partialMessages', options.partialMessages);
  if (options.maxTurns !== undefined) checkPositiveInteger('maxTurns', options.maxTurns);
  const budget = options.maxBudgetUsd;
  if (budget !== undefined && (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0)) {
    throw invalidOption('maxBudgetUsd', 'a positive number of US dollars', budget);
  }
  checkStringArray('allowedTools', options.allowedTools);
  checkStringArray('disallowedTools', options.disallowedTools);
  checkStringArray('extraArgs', options.extraArgs);
  if (options.jsonSchema !== undefined) {
    parseJsonSchema(options.jsonSchema);
    if (options.outputFormat === 'text') throw invalidOption('jsonSchema', "used with outputFormat 'stream-json' or 'json' (text output cannot carry structured output)", options.jsonSchema);
  }
}

/** `--dangerously-skip-permissions` (the original's default) or `--permission-mode <mode>`. */
export function permissionFlags(options: ClaudeFlagOptions): string[] {
  return options.permissionMode === undefined ? ['--dangerously-skip-permissions'] : ['--permission-mode', options.permissionMode];
}

/**
 * The flags after the prompt: model, output format (text mode adds none, as the original did;
 * stream-json adds `--verbose` and, unless `partialMessages: false`, `--include-partial-messages`),
 * then each option given, then `extraArgs`. Tool lists travel as one comma-separated argument,
 * so no list can swallow a word that follows it.
 */
export function claudeFlags(options: ClaudeFlagOptions): string[] {
  const format = options.outputFormat ?? 'stream-json';
  const pairs: Array<[string, string | number | undefined]> = [
    ['--fallback-model', options.fallbackModel],
    ['--max-turns', options.maxTurns],
    ['--max-budget-usd', options.maxBudgetUsd],
    ['--append-system-prompt', options.appendSystemPrompt],
    ['--allowedTools', options.allowedTools?.length ? options.allowedTools.join(',') : undefined],
    ['--disallowedTools', options.disallowedTools?.length ? options.disallowedTools.join(',') : undefined],
    ['--session-id', options.sessionId],
    ['--resume', options.resume],
    ['--json-schema', options.jsonSchema === undefined ? undefined : jsonSchemaArg(options.jsonSchema)],
  ];
  return [
    ...(options.model ? ['--model', options.model] : []),
    ...(format === 'text' ? [] : ['--output-format', format, ...(format === 'stream-json' ? ['--verbose'] : [])]),
    ...(format === 'stream-json' && (options.partialMessages ?? defaults.claudePartialMessages) ? ['--include-partial-messages'] : []),
    ...pairs.flatMap(([flag, value]) => (value === undefined ? [] : [flag, String(value)])),
    ...(options.extraArgs ?? []),
  ];
}

/** The command line of one run: the program, its arguments, and the prompt on stdin when it is too large for argv. */
export interface ClaudeCommandLine {
  readonly command: string;
  readonly args: readonly string[];
  /** The prompt, when it travels on stdin. */
  readonly input?: string;
  /** How the prompt travels: `argv` or `stdin (<n> bytes)`. */
  readonly delivery: string;
}

/**
 * `<command> <permission flags> -p <prompt> <flags>`. A prompt too large for argv (or holding a
 * NUL byte) goes on stdin; one that looks like an option goes after `--`, where no parser can
 * take it for one.
 */
export function claudeCommandLine(
  command: string,
  prompt: string,
  options: ClaudeFlagOptions,
  env: Readonly<Record<string, string>>,
): ClaudeCommandLine {
  const head = [...permissionFlags(options), '-p'];
  const tail = claudeFlags(options);
  if (!promptFitsArgv(prompt, [command, ...head, ...tail], env)) {
    return { command, args: [...head, ...tail], input: prompt, delivery: `stdin (${Buffer.byteLength(prompt)} bytes)` };
  }
  const args = prompt.startsWith('-') ? [...head, ...tail, '--', prompt] : [...head, prompt, ...tail];
  return { command, args, delivery: 'argv' };
}
