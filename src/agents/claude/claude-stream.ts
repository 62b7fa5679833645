/**
 * Turns a Claude run's raw process events into readable ones: each stdout line of stream-json
 * (or json) is parsed as it arrives into Claude events (protocol v1's `agent` variant, with
 * `agent: 'claude'` and a one-line `description` where one helps), `output` events carry the assistant's
 * text (and any line that is not JSON, as it was): token by token from the text deltas of
 * `--include-partial-messages` (a streamed message's whole text is then not shown again), else
 * each text block whole. Tool input deltas stay Claude events; other stream events are dropped. And the `result` is decided by the CLI's own
 * result event: its answer, its totals (read with `claudeRunOf(result)`), and success only when it says so.
 */
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { LineEngine } from '../../process/text/line-engine';
import { OutputBuffer } from '../../process/buffer/output-buffer';
import type { ProcessEvent, ProcessResult } from '../../process/types';
import { describeClaudeEvent } from './describe-event';
import { CLAUDE_AGENT, type ClaudeAgentEvent, type ClaudeEvent, type ClaudeInitEvent, type ClaudeResultEvent } from './events';
import { describeResultError, explainRefusal } from './failure';
import { runInfo } from './run-info';
import type { ClaudeResult } from './types';
import { parseClaudeLine } from './stream-json';
import { checkStructuredOutput, type JsonSchemaOption } from './structured-output';
import { PartialMessages } from './partial-messages';

export interface ClaudeStreamOptions {
  /** `json` prints only the result; its answer is then shown as output when it arrives. */
  readonly format: 'stream-json' | 'json';
  /** Characters of readable text kept for a run that ends without a result event. */
  readonly maxBuffer: number;
  /** The run's `jsonSchema`: its result event must carry a structured output that matches. @default none */
  readonly jsonSchema?: JsonSchemaOption;
}

const withNewline = (text: string): string => (text === '' || text.endsWith('\n') ? text : `${text}\n`);

const CUT_SHORT =
  'the Claude CLI exited with code 0 without printing its result event: its output was cut short ' +
  '(the CLI can lose the end of a large output written to a pipe)';

/** The final result: the process layer's, corrected by what the CLI's result event says. */
function finalResult(
  base: ProcessResult,
  readable: string,
  expectResult: boolean,
  init: ClaudeInitEvent | undefined,
  last: ClaudeResultEvent | undefined,
  assistantError: string | null,
  jsonSchema: JsonSchemaOption | undefined,
): ClaudeResult {
  const refusal = base.exitCode !== 0 ? explainRefusal(base.stderr) : null;
  const error = refusal ? `${refusal} (${base.error})` : base.error;
  if (!last) {
    // The CLI started (init) or was asked for json, and exited 0 without its result: output was cut short.
    if (expectResult && base.exitCode === 0) return { ...base, output: readable, exitCode: 1, error: CUT_SHORT };
    return { ...base, output: readable, error };
  }
  const claude = runInfo(last, init);
  const output = withNewline(last.result ?? '');
  const stopped = base.reason === 'timeout' || base.reason === 'cancelled' || base.reason === 'signal';
  if (stopped) return { ...base, output, claude, error };
  if (!last.isError && jsonSchema !== undefined) {
    const checked = checkStructuredOutput(jsonSchema, last.raw.structured_output);
    if (!checked.ok) return { ...base, output, claude, exitCode: base.exitCode === 0 ? 1 : base.exitCode, error: checked.error };
    return { ...base, output, claude: { ...claude, structuredOutput: checked.value }, error };
  }
  if (!last.isError) return { ...base, output, claude, error };
  // The CLI said the run failed: never a success, whatever its exit code.
  return { ...base, output, claude, exitCode: base.exitCode === 0 ? 1 : base.exitCode, error: describeResultError(last, assistantError) };
}

/**
 * The operator `ClaudeProcess` applies to its runs in `stream-json` and `json` formats.
 *
 * @example
 * ```ts
 * import { CommandProcess, isClaudeEvent } from 'rx-orchestration';
 * import { claudeStream } from 'rx-orchestration/toolkit';
 * const cli = new CommandProcess({ command: 'claude', args: ['-p', 'Hi', '--output-format', 'stream-json', '--verbose'] });
 * cli.events().pipe(claudeStream({ format: 'stream-json', maxBuffer: 1 << 24 })).subscribe((event) => {
 *   if (isClaudeEvent(event)) console.log(event.event.kind);
 * });
 * ```
 */
export function claudeStream(options: ClaudeStreamOptions): MonoTypeOperatorFunction<ProcessEvent> {
  return (source) =>
    new Observable<ProcessEvent>((subscriber) => {
      // A JSON line is parsed whole: only a line longer than what a result keeps is cut.
      const lines = new LineEngine({ maxLineLength: Math.max(options.maxBuffer, 1024 * 1024) });
      const readable = new OutputBuffer(options.maxBuffer);
      let init: ClaudeInitEvent | undefined;
      let last: ClaudeResultEvent | undefined;
      let assistantError: string | null = null;
      let processId = '';
      const partial = new PartialMessages();
      const text = (chunk: string): void => {
        if (chunk === '') return;
        readable.pushText(chunk);
        subscriber.next({ type: 'output', processId, stream: 'stdout', chunk, at: Date.now() });
      };
      const claude = (event: ClaudeEvent): void => {
        // Live text: a delta is output as it arrives; the other stream events only name messages.
        if (event.kind === 'text-delta') return text(partial.delta(event));
        if (event.kind === 'stream') return partial.stream(event);
        if (event.kind === 'init') init = event;
        else if (event.kind === 'result') last = event;
        else if (event.kind === 'text' && event.error) assistantError = event.error;
        const description = describeClaudeEvent(event);
        const agentEvent: ClaudeAgentEvent = { type: 'agent', processId, agent: CLAUDE_AGENT, event, at: Date.now(), ...(description === null ? {} : { description }) };
        subscriber.next(agentEvent);
        if (event.kind === 'text') text(partial.text(event));
        else if (event.kind === 'result' && options.format === 'json') text(withNewline(event.result ?? ''));
      };
      // `ended`: the unfinished last line, shown without a line break it never had.
      const handleLines = (found: string[], ended = false): void => {
        for (const rawLine of found) {
          const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine; // terminal mode ends lines with \r\n
          const events = parseClaudeLine(line);
          if (events) events.forEach(claude);
          else text(ended ? rawLine : `${line}\n`);
        }
      };
      return source.subscribe({
        next(event) {
          processId = event.processId;
          if (event.type === 'output' && event.stream === 'stdout') handleLines(lines.push(event.chunk));
          else if (event.type === 'result') {
            handleLines(lines.flush(), true);
            subscriber.next({ ...event, result: finalResult(event.result, readable.text(), init !== undefined || options.format === 'json', init, last, assistantError, options.jsonSchema) });
          } else subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
