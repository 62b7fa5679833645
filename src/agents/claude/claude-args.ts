/**
 * The Claude CLI options a `ClaudeProcess` turns into command-line flags, their checks, and the
 * flags themselves.
 */
import { checkPositiveInteger, checkString, checkStringArray, invalidOption } from '../../validate';
import type { ClaudeProcessOptions } from '../../runnable/claude-process';

/** How the CLI prints its run. */
export type ClaudeOutputFormat = 'stream-json' | 'json' | 'text';

export const OUTPUT_FORMATS: readonly ClaudeOutputFormat[] = ['stream-json', 'json', 'text'];

/** The options that become flags (see `ClaudeProcessOptions` for each one's meaning). */
export type ClaudeFlagOptions = Pick<
  ClaudeProcessOptions,
  | 'model'
  | 'outputFormat'
  | 'permissionMode'
  | 'fallbackModel'
  | 'maxTurns'
  | 'maxBudgetUsd'
  | 'appendSystemPrompt'
  | 'allowedTools'
  | 'disallowedTools'
  | 'sessionId'
  | 'resume'
  | 'extraArgs'
>;

export function checkClaudeFlags(options: ClaudeFlagOptions): void {
  for (const key of ['model', 'permissionMode', 'fallbackModel', 'appendSystemPrompt', 'sessionId', 'resume'] as const) {
    if (options[key] !== undefined) checkString(key, options[key]);
  }
  if (options.outputFormat !== undefined && !OUTPUT_FORMATS.includes(options.outputFormat)) {
    throw invalidOption('outputFormat', `one of ${OUTPUT_FORMATS.join(', ')}`, options.outputFormat);
  }
  if (options.maxTurns !== undefined) checkPositiveInteger('maxTurns', options.maxTurns);
  const budget = options.maxBudgetUsd;
  if (budget !== undefined && (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0)) {
    throw invalidOption('maxBudgetUsd', 'a positive number of US dollars', budget);
  }
  checkStringArray('allowedTools', options.allowedTools);
  checkStringArray('disallowedTools', options.disallowedTools);
  checkStringArray('extraArgs', options.extraArgs);
}

/** `--dangerously-skip-permissions` (the original's default) or `--permission-mode <mode>`. */
export function permissionFlags(options: ClaudeFlagOptions): string[] {
  return options.permissionMode === undefined ? ['--dangerously-skip-permissions'] : ['--permission-mode', options.permissionMode];
}

/**
 * The flags after the prompt: model, output format (text mode adds none, as the original did),
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
  ];
  return [
    ...(options.model ? ['--model', options.model] : []),
    ...(format === 'text' ? [] : ['--output-format', format, ...(format === 'stream-json' ? ['--verbose'] : [])]),
    ...pairs.flatMap(([flag, value]) => (value === undefined ? [] : [flag, String(value)])),
    ...(options.extraArgs ?? []),
  ];
}
