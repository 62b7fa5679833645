/**
 * One event as one line of JSON text, and back: the single encoding behind NDJSON, SSE and
 * every relay. `"v": 1` comes first on every encoded event, so a line read on its own (from
 * `tail -f`, a grep, a resumed stream) still says which protocol it speaks.
 *
 * Strings round-trip exactly: `JSON.stringify` escapes control characters (`\u0000`, `\n`,
 * `\r`, `\u001b`) and lone surrogates (`\ud800`), so an encoded event never holds a raw line
 * break and is always valid UTF-8, and `JSON.parse` restores every UTF-16 unit as it was.
 */
import { ProtocolError } from './protocol-error';
import { PROTOCOL_VERSION, type ProcessEvent, type StampedEvent } from './types';

/** The JSON text of one stamped event (no line break in it, none at its end). */
export function encodeEvent(event: StampedEvent): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, ...event });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The event one line of JSON text holds, its `v` removed; a `ProtocolError` naming `line` when
 * the text is not JSON, speaks another major version, or lacks the envelope every event has
 * (`type`, `processId`, `at`, `seq`). The rest of the event is not checked here: validate with
 * the schema (`eventSchema`) where input is not trusted.
 */
export function decodeEvent(text: string, line = 1): StampedEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProtocolError(`not valid JSON (${(error as Error).message})`, line, { cause: error });
  }
  if (!isObject(value)) throw new ProtocolError('not a JSON object', line);
  const { v, ...event } = value;
  if (v === undefined) throw new ProtocolError('no protocol version ("v")', line);
  if (v !== PROTOCOL_VERSION) {
    throw new ProtocolError(`protocol version ${JSON.stringify(v)}; this reader speaks version ${PROTOCOL_VERSION}`, line);
  }
  if (typeof event.type !== 'string') throw new ProtocolError('no event "type"', line);
  if (typeof event.processId !== 'string') throw new ProtocolError('no "processId"', line);
  if (typeof event.at !== 'number' || !Number.isFinite(event.at)) throw new ProtocolError('no "at" (ms since the epoch)', line);
  if (!Number.isSafeInteger(event.seq) || (event.seq as number) < 0) throw new ProtocolError('no "seq" (an integer, 0 or more)', line);
  return event as unknown as StampedEvent<ProcessEvent>;
}
