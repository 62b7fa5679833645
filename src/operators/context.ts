/**
 * Output passing: the text a run receives when a strategy passes earlier outputs on (`passOutput`).
 * It sits above the process layer, which only carries `RunOptions.context` to the run.
 *
 * Format: an XML-like section, one `<output>` element per earlier process, in the order the
 * outputs were produced. The outputs are inserted byte-exact; the process id is escaped.
 *
 * ```text
 * <previous_outputs>
 * <output process_id="analyze">
 * ...the output of "analyze"...
 * </output>
 * </previous_outputs>
 * ```
 */
import type { PreviousOutput } from '../process/types';

const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

export function formatContext(context: readonly PreviousOutput[]): string {
  const parts = context.map((item) => {
    const id = item.processId.replace(/[&"<>]/g, (char) => ESCAPES[char]);
    const body = item.output.endsWith('\n') ? item.output : `${item.output}\n`;
    return `<output process_id="${id}">\n${body}</output>\n`;
  });
  return `<previous_outputs>\n${parts.join('')}</previous_outputs>\n`;
}

/** A prompt followed, after a blank line, by the section of earlier outputs (if any). */
export function withContext(prompt: string, context: readonly PreviousOutput[] | undefined): string {
  if (!context || context.length === 0) return prompt;
  return `${prompt}\n\n${formatContext(context)}`;
}
