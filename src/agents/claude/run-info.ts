/**
 * A Claude run's totals, read from its stream-json `result` event (and the model its `init` event
 * named); a result carries them as its `claude` field, read with `claudeRunOf`.
 */
import type { ProcessResult } from '../../process/types';
import type { ClaudeInitEvent, ClaudeResultEvent } from './events';
import type { ClaudeResult, ClaudeRunInfo, ModelUsage, TokenUsage } from './types';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** The API's snake_case usage as camelCase token counts (missing counts are 0). */
export function tokenUsage(raw: unknown): TokenUsage {
  const usage = isObject(raw) ? raw : {};
  return {
    inputTokens: count(usage.input_tokens),
    outputTokens: count(usage.output_tokens),
    cacheCreationInputTokens: count(usage.cache_creation_input_tokens),
    cacheReadInputTokens: count(usage.cache_read_input_tokens),
  };
}

/** The CLI's `modelUsage` (already camelCase, with `costUSD`). */
export function modelUsage(raw: unknown): Record<string, ModelUsage> {
  const models: Record<string, ModelUsage> = {};
  if (!isObject(raw)) return models;
  for (const [model, value] of Object.entries(raw)) {
    const usage = isObject(value) ? value : {};
    models[model] = {
      inputTokens: count(usage.inputTokens),
      outputTokens: count(usage.outputTokens),
      cacheCreationInputTokens: count(usage.cacheCreationInputTokens),
      cacheReadInputTokens: count(usage.cacheReadInputTokens),
      costUsd: count(usage.costUSD),
    };
  }
  return models;
}

export function runInfo(result: ClaudeResultEvent, init: ClaudeInitEvent | undefined): ClaudeRunInfo {
  const { raw } = result;
  const models = modelUsage(raw.modelUsage);
  return {
    sessionId: result.sessionId ?? init?.sessionId ?? null,
    model: init?.model ?? Object.keys(models)[0] ?? null,
    subtype: result.subtype,
    isError: result.isError,
    costUsd: result.totalCostUsd,
    numTurns: result.numTurns,
    durationMs: result.durationMs,
    durationApiMs: result.durationApiMs,
    usage: tokenUsage(raw.usage),
    modelUsage: models,
    permissionDenials: Array.isArray(raw.permission_denials) ? raw.permission_denials : [],
  };
}

/**
 * The Claude totals a result carries; undefined for a result that has none
 * (not a Claude run, a run in `text` format, or one that ended before the CLI's result event).
 *
 * @example
 * ```ts
 * import { ClaudeProcess, claudeRunOf } from 'rx-orchestration';
 * const result = await new ClaudeProcess({ prompt: 'Say hi' }).run();
 * console.log(claudeRunOf(result)?.costUsd);
 * ```
 */
export function claudeRunOf(result: ProcessResult): ClaudeRunInfo | undefined {
  const { claude } = result as ClaudeResult;
  return typeof claude === 'object' && claude !== null ? claude : undefined;
}
