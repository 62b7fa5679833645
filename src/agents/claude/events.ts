/**
 * The Claude Code CLI's stream-json output as typed events. One line of output may hold several
 * (an assistant message with a text block and a tool use); each keeps the line it came from in
 * `raw`. A line of a type this library does not know becomes an `unknown` event, never an error.
 * On a run's event stream each travels in protocol v1's generic agent variant, `{ type: 'agent',
 * agent: 'claude', event }` (`ClaudeAgentEvent`, narrowed with `isClaudeEvent`).
 */
import type { AgentEvent, ProcessEvent } from '../../process/types';

/** `{"type":"system","subtype":"init"}`: the run started. */
export interface ClaudeInitEvent {
  readonly kind: 'init';
  readonly sessionId: string | null;
  readonly model: string | null;
  readonly tools: readonly string[];
  readonly permissionMode: string | null;
  readonly cwd: string | null;
  readonly version: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A text block of an assistant message: the readable answer, as it arrives. */
export interface ClaudeTextEvent {
  readonly kind: 'text';
  readonly text: string;
  readonly messageId: string | null;
  readonly model: string | null;
  /** The message's `error` when the CLI made it up to report a failure (`authentication_failed`, `server_error`, ...). */
  readonly error: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A tool use block of an assistant message. */
export interface ClaudeToolUseEvent {
  readonly kind: 'tool-use';
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A tool's result, reported in a user message. */
export interface ClaudeToolResultEvent {
  readonly kind: 'tool-result';
  readonly toolUseId: string;
  /** The result's text (text blocks joined). */
  readonly content: string;
  readonly isError: boolean;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** `{"type":"system","subtype":"api_retry"}`: an API request failed and will be retried. */
export interface ClaudeApiRetryEvent {
  readonly kind: 'api-retry';
  readonly attempt: number;
  readonly maxRetries: number | null;
  readonly retryDelayMs: number | null;
  readonly errorStatus: number | null;
  readonly error: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** `{"type":"result"}`: the last event of a run, with its answer and totals. */
export interface ClaudeResultEvent {
  readonly kind: 'result';
  /** `success`, `error_max_turns`, `error_during_execution`, `error_max_budget_usd`, ... */
  readonly subtype: string;
  readonly isError: boolean;
  /** The final answer (absent for some errors, such as `error_max_turns`). */
  readonly result: string | null;
  readonly sessionId: string | null;
  readonly numTurns: number;
  readonly totalCostUsd: number;
  readonly durationMs: number | null;
  readonly durationApiMs: number | null;
  /** The HTTP status of a failed API call, when that is why the run failed. */
  readonly apiErrorStatus: number | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * A piece of an assistant message's text as the API streams it (a `stream_event` line holding a
 * `content_block_delta` with a `text_delta`; the CLI prints those with `--include-partial-messages`).
 * `claudeStream` turns each into an `output` event and does not forward it as a Claude event.
 */
export interface ClaudeTextDeltaEvent {
  readonly kind: 'text-delta';
  readonly text: string;
  /** The content block's index in its message. */
  readonly index: number | null;
  /** The tool use (a subagent's Task) this message belongs to; null for the main conversation. */
  readonly parentToolUseId: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A piece of a tool use's input JSON as the API streams it (`input_json_delta`). */
export interface ClaudeToolInputDeltaEvent {
  readonly kind: 'tool-input-delta';
  readonly partialJson: string;
  readonly index: number | null;
  readonly parentToolUseId: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * Any other `stream_event` line: `message_start` (which names the message: `messageId`),
 * `content_block_start`, `content_block_stop`, `message_delta`, `message_stop`, other deltas.
 * `claudeStream` reads the message id from it and drops it: the whole assistant message that
 * follows carries the same content.
 */
export interface ClaudeStreamEvent {
  readonly kind: 'stream';
  /** The API event's `type` (`message_start`, ...), with `/<delta type>` for other deltas. */
  readonly type: string;
  /** The message's id (on `message_start` only). */
  readonly messageId: string | null;
  readonly parentToolUseId: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Any other line, or content block, kept as it was. */
export interface ClaudeUnknownEvent {
  readonly kind: 'unknown';
  /** The line's `type` (with `/subtype` for system lines), or `assistant/<block type>` for a block. */
  readonly type: string;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** One parsed piece of a Claude run's stream-json output: a discriminated union on `kind`. */
export type ClaudeEvent =
  | ClaudeInitEvent
  | ClaudeTextEvent
  | ClaudeToolUseEvent
  | ClaudeToolResultEvent
  | ClaudeApiRetryEvent
  | ClaudeResultEvent
  | ClaudeTextDeltaEvent
  | ClaudeToolInputDeltaEvent
  | ClaudeStreamEvent
  | ClaudeUnknownEvent;

/** The `agent` name Claude events carry. */
export const CLAUDE_AGENT = 'claude';

/** A Claude event on a run's event stream: protocol v1's agent variant with a `ClaudeEvent`. */
export type ClaudeAgentEvent = AgentEvent<typeof CLAUDE_AGENT, ClaudeEvent>;

/**
 * True for a Claude event (`type: 'agent'`, `agent: 'claude'`), typing `event.event` as a `ClaudeEvent`.
 *
 * @example
 * ```ts
 * import { ClaudeProcess, isClaudeEvent } from 'rx-orchestration';
 * new ClaudeProcess({ prompt: 'List the files here' }).events().subscribe((event) => {
 *   if (isClaudeEvent(event) && event.event.kind === 'tool-use') console.log('tool:', event.event.name);
 * });
 * ```
 */
export function isClaudeEvent(event: ProcessEvent): event is ClaudeAgentEvent {
  if (event.type !== 'agent' || event.agent !== CLAUDE_AGENT) return false;
  const payload = event.event as { kind?: unknown } | null;
  return typeof payload === 'object' && payload !== null && typeof payload.kind === 'string';
}
