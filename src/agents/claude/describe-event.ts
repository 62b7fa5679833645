/**
 * One line, for people, about a Claude event worth a line of its own in a log or on a screen:
 * the session starting, a tool used and its result, an API retry, the run's result. Text events
 * give null: their text is the output itself. `claudeStream` puts the line on each Claude event
 * as its `description`, so logs and screens show it without knowing Claude.
 */
import type { ClaudeEvent } from './events';
import { cutAtCodePoint } from '../../process/text/code-point-cut';

const MAX = 200;

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX ? `${cutAtCodePoint(flat, MAX)}...` : flat;
}

function usd(amount: number): string {
  return `$${amount.toFixed(amount >= 1 ? 2 : 4)}`;
}

/**
 * @example
 * ```ts
 * import { isClaudeEvent, type ProcessEvent } from 'rx-orchestration';
 * import { describeClaudeEvent } from 'rx-orchestration/toolkit';
 * const show = (event: ProcessEvent) => {
 *   const line = isClaudeEvent(event) ? describeClaudeEvent(event.event) : null;
 *   if (line) console.log(`[${event.processId}] ${line}`); // e.g. "tool Bash: {"command":"ls"}"
 * };
 * ```
 */
export function describeClaudeEvent(event: ClaudeEvent): string | null {
  switch (event.kind) {
    case 'init':
      return `session ${event.sessionId ?? '?'}, model ${event.model ?? '?'}, ${event.tools.length} tools, permission mode ${event.permissionMode ?? '?'}`;
    case 'tool-use':
      return `tool ${event.name}: ${short(JSON.stringify(event.input) ?? '')}`;
    case 'tool-result':
      return `tool result${event.isError ? ' (error)' : ''}: ${short(event.content)}`;
    case 'api-retry':
      return `API retry ${event.attempt}${event.maxRetries === null ? '' : `/${event.maxRetries}`}${event.retryDelayMs === null ? '' : ` in ${Math.round(event.retryDelayMs)} ms`}: ${event.errorStatus ?? ''} ${event.error ?? ''}`.trimEnd();
    case 'result': {
      const usage = event.raw.usage as { input_tokens?: number; output_tokens?: number } | undefined;
      const tokens = usage ? `, ${usage.input_tokens ?? 0} input / ${usage.output_tokens ?? 0} output tokens` : '';
      return `result ${event.subtype}${event.isError ? ' (error)' : ''}: ${event.numTurns} turn${event.numTurns === 1 ? '' : 's'}, ${usd(event.totalCostUsd)}${tokens}`;
    }
    case 'text':
    case 'text-delta':
    case 'tool-input-delta':
    case 'stream':
    case 'unknown':
      return null;
  }
}
