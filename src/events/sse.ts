/**
 * Server-Sent Events framing of protocol v1: one message per event,
 *
 * ```text
 * id: <processId>:<seq>
 * event: <type>
 * data: <the event's JSON, as on an NDJSON line>
 *
 * ```
 *
 * The id names the event itself (its process and its place in the run), so the encoder needs no
 * state and a reconnecting browser's `Last-Event-ID` says exactly which event it saw last: a
 * server keeping the stream's events in order replays those after it (`parseSseId`). In the id,
 * every character but `A-Z a-z 0-9 . _ ~ -` of the process id is escaped (`%3A` for `:`,
 * `%u00E9`-style for the rest), so no id holds a line break, a NUL or a second `:`.
 */
import { encodeEvent } from './encode';
import type { ProcessEvent, StampedEvent } from './types';

/** A process id made safe for an SSE id (see the file comment); `parseSseId` reverses it. */
function escapeId(text: string): string {
  return text.replace(/[^A-Za-z0-9._~-]/g, (char) => {
    const unit = char.charCodeAt(0);
    return unit < 0x100 ? `%${unit.toString(16).toUpperCase().padStart(2, '0')}` : `%u${unit.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

function unescapeId(text: string): string {
  return text.replace(/%u([0-9A-F]{4})|%([0-9A-F]{2})/g, (_, wide: string | undefined, narrow: string | undefined) =>
    String.fromCharCode(parseInt(wide ?? narrow ?? '0', 16)),
  );
}

/** The SSE id of an event: `<escaped processId>:<seq>`. */
export function sseId(event: Pick<ProcessEvent, 'processId'> & { readonly seq: number }): string {
  return `${escapeId(event.processId)}:${event.seq}`;
}

/** The process id and seq an SSE id (a `Last-Event-ID` header) names; null when it is not one of ours. */
export function parseSseId(id: string): { readonly processId: string; readonly seq: number } | null {
  const match = /^([A-Za-z0-9._~%-]*):(0|[1-9][0-9]*)$/.exec(id.trim());
  if (!match) return null;
  const seq = Number(match[2]);
  return Number.isSafeInteger(seq) ? { processId: unescapeId(match[1]), seq } : null;
}

/**
 * One event as one SSE message (ending with the blank line that dispatches it). The data is the
 * event's JSON on one line (JSON escapes every line break). An event without `seq` gets no `id`
 * line (pipe the stream through `sequenced()` first to have ids).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { from } from 'rxjs';
 * import { CommandProcess, parallel, toSse } from 'rx-orchestration';
 * createServer((request, response) => {
 *   response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
 *   const jobs = [new CommandProcess({ command: 'echo', args: ['hi'] })];
 *   from(jobs).pipe(parallel()).subscribe({ next: (event) => response.write(toSse(event)), complete: () => response.end() });
 * }).listen(8080);
 * ```
 */
export function toSse(event: ProcessEvent): string {
  const hasSeq = Number.isSafeInteger(event.seq);
  const id = hasSeq ? `id: ${sseId({ processId: event.processId, seq: event.seq as number })}\n` : '';
  const data = encodeEvent(event as StampedEvent);
  return `${id}event: ${escapeId(String(event.type))}\ndata: ${data}\n\n`;
}
