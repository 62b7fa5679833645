/**
 * Sums the Claude totals (cost, turns, tokens, per-model usage) over many results.
 */
import type { ProcessResult } from '../../process/types';
import { claudeRunOf } from './run-info';
import type { ModelUsage, TokenUsage } from './types';

/** What a set of Claude runs cost together. */
export interface ClaudeTotals {
  /** How many results carried Claude totals. */
  readonly runs: number;
  readonly costUsd: number;
  readonly numTurns: number;
  readonly usage: TokenUsage;
  readonly byModel: Readonly<Record<string, ModelUsage>>;
}

function emptyUsage(): { -readonly [K in keyof ModelUsage]: number } {
  return { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, costUsd: 0 };
}

function addUsage(into: { -readonly [K in keyof ModelUsage]: number }, usage: TokenUsage, costUsd: number): void {
  into.inputTokens += usage.inputTokens;
  into.outputTokens += usage.outputTokens;
  into.cacheCreationInputTokens += usage.cacheCreationInputTokens;
  into.cacheReadInputTokens += usage.cacheReadInputTokens;
  into.costUsd += costUsd;
}

/**
 * Cost, turns and token usage summed over every result that has `claude` totals; null when none has.
 *
 * @example
 * ```ts
 * import { claudeTotals, ClaudeProcess, runParallel } from 'rx-orchestration';
 * const results = await runParallel([new ClaudeProcess({ prompt: 'Say hi' })]);
 * console.log(claudeTotals(results)?.costUsd);
 * ```
 */
export function claudeTotals(results: readonly ProcessResult[]): ClaudeTotals | null {
  const total = emptyUsage();
  const byModel: Record<string, ReturnType<typeof emptyUsage>> = {};
  let runs = 0;
  let numTurns = 0;
  for (const result of results) {
    const claude = claudeRunOf(result);
    if (!claude) continue;
    runs += 1;
    numTurns += claude.numTurns;
    addUsage(total, claude.usage, claude.costUsd);
    for (const [model, usage] of Object.entries(claude.modelUsage)) {
      addUsage((byModel[model] ??= emptyUsage()), usage, usage.costUsd);
    }
  }
  if (runs === 0) return null;
  const { costUsd, ...usage } = total;
  return { runs, costUsd, numTurns, usage, byModel };
}
