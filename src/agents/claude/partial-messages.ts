/**
 * Live text token by token (`--include-partial-messages`): which assistant messages arrived as
 * text deltas, so that their whole text, printed again by the CLI when each content block
 * completes, is not shown a second time. A message is known by the id its `message_start`
 * carries, per conversation (the main one, or a subagent's, keyed by `parent_tool_use_id`).
 * Runs without partial messages never see a delta, and their text is shown whole, as before.
 */
import type { ClaudeStreamEvent, ClaudeTextDeltaEvent, ClaudeTextEvent } from './events';

const withNewline = (text: string): string => (text === '' || text.endsWith('\n') ? text : `${text}\n`);

export class PartialMessages {
  /** The message each conversation is streaming (from its last `message_start`). */
  private readonly current = new Map<string | null, string | null>();
  /** Ids of the messages whose text arrived as deltas. */
  private readonly streamed = new Set<string>();
  /** Deltas of a message `message_start` did not name (kept apart so no text is lost). */
  private anonymous = false;
  /** The text streamed since the last line break closed by a whole block (what is still open on screen). */
  private open = '';

  /** Notes the message a `message_start` begins. */
  stream(event: ClaudeStreamEvent): void {
    if (event.type === 'message_start') this.current.set(event.parentToolUseId, event.messageId);
  }

  /** The output a text delta gives: its text, as it arrived. */
  delta(event: ClaudeTextDeltaEvent): string {
    const id = this.current.get(event.parentToolUseId) ?? null;
    if (id === null) this.anonymous = true;
    else this.streamed.add(id);
    const lineBreak = event.text.lastIndexOf('\n');
    this.open = lineBreak >= 0 ? event.text.slice(lineBreak + 1) : this.open + event.text;
    return event.text;
  }

  /**
   * The output a whole text block gives: nothing new when its message was streamed (only the
   * line break its deltas did not end with, when the block ends what was streamed last, so the
   * next text starts a line), else its text on a line of its own.
   */
  text(event: ClaudeTextEvent): string {
    const streamed = event.messageId !== null ? this.streamed.has(event.messageId) : this.anonymous;
    if (!streamed) return withNewline(event.text);
    if (this.open === '' || !event.text.endsWith(this.open)) return '';
    this.open = '';
    return '\n';
  }
}
