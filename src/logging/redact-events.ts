/**
 * Secrets kept out of a stream of process events, for displays and event logs (`--json --redact`):
 * every string of every event is redacted (ids, command lines, Claude events, results), and output
 * goes through a `RedactingStream` per process and stream, so a secret split across two chunks, or
 * across the pieces of a long line, is still found.
 *
 * Output comes out in whole lines (a `\r` also ends a piece, so redrawn progress lines show at
 * once); an unfinished line waits for its end, for 64 KiB more, or for the process's result.
 * Since chunks are joined and held back, the redacted stream is numbered anew: `seq` counts
 * the events it emits, from 0 per process run, with no gap.
 *
 * ```text
 * events:           --o("tok")--o("en=S3CRET\n")--r--|
 * redactEvents(r):  -------------o("token=[REDACTED]\n")--r--|
 * ```
 */
import { concatMap, defer, from, type OperatorFunction } from 'rxjs';
import type { OutputStream, ProcessEvent, StampedEvent } from '../process/types';
import type { Redactor } from './redact';
import { RedactingStream } from './redacting-stream';

/** Every string inside a JSON-like value redacted (objects and arrays copied, other values kept). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redact)) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = redactDeep(item, redact);
    return copy as T;
  }
  return value;
}

/** The stateful core of `redactEvents`: one event in, the redacted events it releases out. */
export class EventRedactor {
  private readonly streams = new Map<string, RedactingStream>();
  /** The next `seq` of each process's run (forgotten at its result: a later run of the id starts at 0). */
  private readonly next = new Map<string, number>();

  constructor(private readonly redact: Redactor) {}

  push(event: ProcessEvent): StampedEvent[] {
    const { processId } = event;
    if (event.type === 'output') {
      const chunk = this.stream(processId, event.stream).push(event.chunk);
      return chunk === '' ? [] : [this.numbered(processId, { ...event, processId: this.redact(processId), chunk })];
    }
    // A new attempt or the end: the unfinished lines before it come out first.
    const flushed = event.type === 'result' || (event.type === 'start' && (event.attempt ?? 1) > 1) ? this.flush(processId, event.type === 'result') : [];
    const redacted = this.numbered(processId, redactDeep(event, this.redact));
    if (event.type === 'result') this.next.delete(processId);
    return [...flushed, redacted];
  }

  private numbered<E extends ProcessEvent>(processId: string, event: E): StampedEvent<E> {
    const seq = this.next.get(processId) ?? 0;
    this.next.set(processId, seq + 1);
    return { ...event, seq };
  }

  private stream(processId: string, stream: OutputStream): RedactingStream {
    const key = `${stream}\0${processId}`;
    let redacting = this.streams.get(key);
    if (!redacting) this.streams.set(key, (redacting = new RedactingStream(this.redact, { carriageReturn: true })));
    return redacting;
  }

  private flush(processId: string, forget: boolean): StampedEvent[] {
    const events: StampedEvent[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const key = `${stream}\0${processId}`;
      const chunk = this.streams.get(key)?.flush() ?? '';
      if (forget) this.streams.delete(key);
      if (chunk !== '') events.push(this.numbered(processId, { type: 'output', processId: this.redact(processId), stream, chunk, at: Date.now() }));
    }
    return events;
  }
}

/**
 * Redacts every event (see the file comment); results keep their shape with every string redacted.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { CommandProcess, parallel } from 'rx-orchestration';
 * import { createRedactor, redactEvents, secretValues } from 'rx-orchestration/toolkit';
 * const job = new CommandProcess({ command: 'sh', args: ['-c', 'echo "$API_TOKEN"'], env: { API_TOKEN: 'tok-123456' } });
 * from([job]).pipe(parallel(), redactEvents(createRedactor(['tok-123456']))).subscribe((event) => {
 *   if (event.type === 'output') process.stdout.write(event.chunk); // [REDACTED]
 * });
 * ```
 */
export function redactEvents(redact: Redactor): OperatorFunction<ProcessEvent, StampedEvent> {
  return (source) =>
    defer(() => {
      const redactor = new EventRedactor(redact);
      return source.pipe(concatMap((event) => from(redactor.push(event))));
    });
}
