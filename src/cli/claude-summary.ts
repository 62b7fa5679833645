/**
 * The CLI's Claude additions (issue 3): the options the flags map to, one line per tool use or
 * API retry in live output, and the totals under the summary table.
 */
import { claudeRunOf, claudeTotals, type ClaudeAgentEvent, type CreateProcessOptions, type ProcessResult } from '../index';
import { describeClaudeEvent } from '../toolkit';

/** The Claude flags as typed (undefined when not given). */
export interface ClaudeFlags {
  readonly outputFormat?: string;
  readonly permissionMode?: string;
  readonly maxTurns?: number;
  readonly maxBudgetUsd?: number;
  readonly fallbackModel?: string;
  readonly appendSystemPrompt?: string;
  readonly allowedTools?: string;
  readonly disallowedTools?: string;
  readonly jsonSchema?: Readonly<Record<string, unknown>>;
  /** false for --no-partial-messages. */
  readonly partialMessages?: boolean;
}

const list = (text: string | undefined): string[] | undefined =>
  text === undefined ? undefined : text.split(',').map((tool) => tool.trim()).filter((tool) => tool !== '');

/** The session's `claudeOptions` from the flags; only the flags given (ClaudeProcess checks the values). */
export function claudeOptionsFrom(flags: ClaudeFlags): CreateProcessOptions {
  const options: Record<string, unknown> = {
    outputFormat: flags.outputFormat,
    permissionMode: flags.permissionMode,
    maxTurns: flags.maxTurns,
    maxBudgetUsd: flags.maxBudgetUsd,
    fallbackModel: flags.fallbackModel,
    appendSystemPrompt: flags.appendSystemPrompt,
    allowedTools: list(flags.allowedTools),
    disallowedTools: list(flags.disallowedTools),
    jsonSchema: flags.jsonSchema,
    partialMessages: flags.partialMessages,
  };
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
  return options as CreateProcessOptions;
}

/** A line for live output about a tool use or an API retry; null for every other event. */
export function claudeEventLine(envelope: ClaudeAgentEvent): string | null {
  const { event } = envelope;
  return event.kind === 'tool-use' || event.kind === 'api-retry' ? describeClaudeEvent(event) : null;
}

/** `, $0.0012` for a result with Claude totals, '' otherwise. */
export function costNote(result: ProcessResult): string {
  const claude = claudeRunOf(result);
  return claude ? `, $${claude.costUsd.toFixed(4)}` : '';
}

/** The line under the summary table: cost, turns and tokens of every Claude run; '' when none. */
export function claudeTotalsLine(results: readonly ProcessResult[]): string {
  const totals = claudeTotals(results);
  if (!totals) return '';
  const { usage } = totals;
  const cache = usage.cacheReadInputTokens + usage.cacheCreationInputTokens;
  return (
    `Claude: ${totals.runs} run${totals.runs === 1 ? '' : 's'}, $${totals.costUsd.toFixed(4)}, ${totals.numTurns} turn${totals.numTurns === 1 ? '' : 's'}, ` +
    `${usage.inputTokens} input / ${usage.outputTokens} output tokens${cache ? ` (${cache} cache)` : ''}\n`
  );
}
