/**
 * What a Claude Code run reports beyond a plain process: the totals from its final `result`
 * event (cost, turns, token usage), kept on its result as `claude` (`ClaudeResult`).
 */
import type { ProcessResult } from '../../process/types';

/** Token counts as the Messages API reports them, in camelCase. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationInputTokens: number;
  readonly cacheReadInputTokens: number;
}

/** One model's share of a run (the CLI's `modelUsage`). */
export interface ModelUsage extends TokenUsage {
  readonly costUsd: number;
}

/** The totals of one Claude run, read from its `result` event (`result.claude`, `claudeRunOf`). */
export interface ClaudeRunInfo {
  /** The CLI's session id (resume it with `resume`). */
  readonly sessionId: string | null;
  /** The model the init event named. */
  readonly model: string | null;
  /** The result event's `subtype`: `success`, `error_max_turns`, `error_during_execution`, `error_max_budget_usd`, ... */
  readonly subtype: string | null;
  /** The result event's `is_error`. */
  readonly isError: boolean;
  readonly costUsd: number;
  readonly numTurns: number;
  /** The CLI's own wall time and API time, in milliseconds. */
  readonly durationMs: number | null;
  readonly durationApiMs: number | null;
  readonly usage: TokenUsage;
  readonly modelUsage: Readonly<Record<string, ModelUsage>>;
  /** Tool uses the permission mode refused. */
  readonly permissionDenials: readonly unknown[];
  /** The answer in the run's `jsonSchema`, checked against it; absent when no schema was given. */
  readonly structuredOutput?: unknown;
}

/** The result of a Claude run: the process layer's result plus the CLI's totals. */
export interface ClaudeResult extends ProcessResult {
  /** Cost, turns and token usage from the CLI's `result` event; absent when it printed none (or in `text` format). */
  readonly claude?: ClaudeRunInfo;
}
