/**
 * NDJSON framing of protocol v1: one event per line, each line `\n`-terminated and carrying
 * `"v":1`. `toNdjson()` encodes (stamping `seq` and `at` where a custom Runnable left them
 * out); `fromNdjson()` decodes text that arrives in chunks cut anywhere (inside a line, inside
 * a character, between `\r` and `\n`).
 *
 * ```text
 * events:       -s----o-----(r|)
 * toNdjson():   -a----b-----(c|)      a: '{"v":1,"type":"start",...}\n', ...
 * chunks:       -x--y----z|           the same text, cut anywhere
 * fromNdjson(): ----s--o--(r|)
 * ```
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { decodeEvent, encodeEvent } from './encode';
import { ProtocolError } from './protocol-error';
import { SequenceCounter } from './sequenced';
import type { ProcessEvent, StampedEvent } from './types';

/**
 * The longest line `fromNdjson` holds, in UTF-16 units: 256 Mi, far above any event this library
 * writes (a result keeps at most `maxBuffer`, 16 Mi characters, of each stream), so only a line
 * that never ends is refused.
 */
export const DEFAULT_MAX_LINE_LENGTH = 256 * 1024 * 1024;

export interface FromNdjsonOptions {
  /** Refuse (a `ProtocolError`) a line longer than this many UTF-16 units. @default 268435456 (256 Mi) */
  readonly maxLineLength?: number;
}

/**
 * Operator: each event as one line of NDJSON. An event without `seq` gets the next number of
 * its process (counted from 0 per process id by this encoder); one without `at`, the time now.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { CommandProcess, parallel, toNdjson } from 'rx-orchestration';
 * const jobs = [new CommandProcess({ command: 'echo', args: ['hi'] })];
 * from(jobs).pipe(parallel(), toNdjson()).subscribe((line) => process.stdout.write(line));
 * ```
 */
export function toNdjson(): OperatorFunction<ProcessEvent, string> {
  return (source) =>
    new Observable<string>((subscriber) => {
      const counter = new SequenceCounter();
      return source.subscribe({
        next: (event) => subscriber.next(`${encodeEvent(counter.stamp(event, { overwrite: false }))}\n`),
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * Operator: NDJSON text (strings, or bytes of UTF-8) back into events. Blank lines are skipped;
 * a `\r` before the `\n` is allowed; a last line without its `\n` is decoded at the end. Invalid
 * JSON, another major version or a line that is not an event ends the stream with a
 * `ProtocolError` naming the line; so does a byte sequence that is not UTF-8.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { from } from 'rxjs';
 * import { fromNdjson } from 'rx-orchestration';
 * from(createReadStream('events.ndjson')).pipe(fromNdjson()).subscribe((event) => {
 *   if (event.type === 'result') console.log(event.processId, event.result.exitCode);
 * });
 * ```
 */
export function fromNdjson(options: FromNdjsonOptions = {}): OperatorFunction<string | Uint8Array, StampedEvent> {
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  if (!(Number.isSafeInteger(maxLineLength) && maxLineLength > 0)) {
    throw new TypeError(`maxLineLength must be a positive integer, received ${String(maxLineLength)}`);
  }
  return (source) =>
    new Observable<StampedEvent>((subscriber) => {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      let pending: string[] = [];
      let pendingLength = 0;
      let line = 0;
      const hold = (piece: string): void => {
        pendingLength += piece.length;
        // A producer that never ends its line (broken or hostile) must not grow us without bound.
        if (pendingLength > maxLineLength) throw new ProtocolError(`line longer than maxLineLength (${maxLineLength})`, line + 1);
        pending.push(piece);
      };
      const emit = (text: string): void => {
        line += 1;
        if (text.trim() !== '') subscriber.next(decodeEvent(text, line));
      };
      const push = (text: string): void => {
        let start = 0;
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
          hold(text.slice(start, end));
          const whole = pending.join('');
          pending = [];
          pendingLength = 0;
          emit(whole);
          start = end + 1;
        }
        if (start < text.length) hold(text.slice(start));
      };
      const decode = (chunk: string | Uint8Array, done: boolean): string => {
        if (typeof chunk === 'string') return chunk;
        try {
          return decoder.decode(chunk, { stream: !done });
        } catch (error) {
          throw new ProtocolError('not UTF-8 text', line + 1, { cause: error });
        }
      };
      return source.subscribe({
        next(chunk) {
          try {
            push(decode(chunk, false));
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          try {
            push(decode(new Uint8Array(0), true));
            if (pending.length > 0) emit(pending.join(''));
            subscriber.complete();
          } catch (error) {
            subscriber.error(error);
          }
        },
      });
    });
}
