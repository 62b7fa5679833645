/**
 * Reads one line of the Claude CLI's stream-json (or json) output into typed events. A line that
 * is not a JSON object gives null (the caller shows it as plain text); a JSON object of a type
 * not known here gives an `unknown` event.
 */
import type { ClaudeEvent, ClaudeResultEvent } from './events';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The text of a tool result's content: a string, or text blocks. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((block) => (isObject(block) && typeof block.text === 'string' ? block.text : '')).join('\n');
}

function resultEvent(raw: Json): ClaudeResultEvent {
  return {
    kind: 'result',
    subtype: str(raw.subtype) ?? 'unknown',
    isError: raw.is_error === true,
    result: str(raw.result),
    sessionId: str(raw.session_id),
    numTurns: num(raw.num_turns) ?? 0,
    totalCostUsd: num(raw.total_cost_usd) ?? 0,
    durationMs: num(raw.duration_ms),
    durationApiMs: num(raw.duration_api_ms),
    apiErrorStatus: num(raw.api_error_status),
    raw,
  };
}

function assistantEvents(raw: Json): ClaudeEvent[] {
  const message = isObject(raw.message) ? raw.message : {};
  const content = Array.isArray(message.content) ? message.content : [];
  const common = { messageId: str(message.id), model: str(message.model), error: str(raw.error) };
  return content.filter(isObject).map((block): ClaudeEvent => {
    if (block.type === 'text') return { kind: 'text', text: str(block.text) ?? '', ...common, raw };
    if (block.type === 'tool_use') return { kind: 'tool-use', id: str(block.id) ?? '', name: str(block.name) ?? '', input: block.input, raw };
    return { kind: 'unknown', type: `assistant/${String(block.type)}`, raw };
  });
}

function userEvents(raw: Json): ClaudeEvent[] {
  const message = isObject(raw.message) ? raw.message : {};
  const content = Array.isArray(message.content) ? message.content : [];
  const results = content.filter((block): block is Json => isObject(block) && block.type === 'tool_result');
  if (results.length === 0) return [{ kind: 'unknown', type: 'user', raw }];
  return results.map((block) => ({
    kind: 'tool-result',
    toolUseId: str(block.tool_use_id) ?? '',
    content: contentText(block.content),
    isError: block.is_error === true,
    raw,
  }));
}

function systemEvent(raw: Json): ClaudeEvent {
  if (raw.subtype === 'init') {
    return {
      kind: 'init',
      sessionId: str(raw.session_id),
      model: str(raw.model),
      tools: Array.isArray(raw.tools) ? raw.tools.filter((t): t is string => typeof t === 'string') : [],
      permissionMode: str(raw.permissionMode),
      cwd: str(raw.cwd),
      version: str(raw.claude_code_version),
      raw,
    };
  }
  if (raw.subtype === 'api_retry') {
    return {
      kind: 'api-retry',
      attempt: num(raw.attempt) ?? 0,
      maxRetries: num(raw.max_retries),
      retryDelayMs: num(raw.retry_delay_ms),
      errorStatus: num(raw.error_status),
      error: str(raw.error),
      raw,
    };
  }
  return { kind: 'unknown', type: `system/${String(raw.subtype)}`, raw };
}

/** A `stream_event` line (`--include-partial-messages`): one API server-sent event. */
function streamEvent(raw: Json): ClaudeEvent {
  const event = isObject(raw.event) ? raw.event : {};
  const parentToolUseId = str(raw.parent_tool_use_id);
  const index = num(event.index);
  const delta = isObject(event.delta) ? event.delta : {};
  if (event.type === 'content_block_delta' && delta.type === 'text_delta') {
    return { kind: 'text-delta', text: str(delta.text) ?? '', index, parentToolUseId, raw };
  }
  if (event.type === 'content_block_delta' && delta.type === 'input_json_delta') {
    return { kind: 'tool-input-delta', partialJson: str(delta.partial_json) ?? '', index, parentToolUseId, raw };
  }
  const message = isObject(event.message) ? event.message : {};
  const type = event.type === 'content_block_delta' ? `content_block_delta/${String(delta.type)}` : String(event.type);
  return { kind: 'stream', type, messageId: str(message.id), parentToolUseId, raw };
}

/**
 * The events one output line holds; null when the line is not a JSON object.
 *
 * @example
 * ```ts
 * import { parseClaudeLine } from 'rx-orchestration/toolkit';
 * const [event] = parseClaudeLine('{"type":"result","subtype":"success","is_error":false,"result":"Hi","total_cost_usd":0.01}') ?? [];
 * console.log(event?.kind); // 'result'
 * ```
 */
export function parseClaudeLine(line: string): ClaudeEvent[] | null {
  const text = line.trim();
  if (!text.startsWith('{')) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(raw)) return null;
  switch (raw.type) {
    case 'system':
      return [systemEvent(raw)];
    case 'assistant':
      return assistantEvents(raw);
    case 'user':
      return userEvents(raw);
    case 'result':
      return [resultEvent(raw)];
    case 'stream_event':
      return [streamEvent(raw)];
    default:
      return [{ kind: 'unknown', type: String(raw.type), raw }];
  }
}
