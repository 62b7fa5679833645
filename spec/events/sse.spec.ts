/**
 * SSE framing: `id: <processId>:<seq>`, `event: <type>`, one `data:` line holding the NDJSON
 * encoding; ids survive any process id (colons, line breaks, NUL, emoji, lone surrogates) and
 * `parseSseId` gives back what a `Last-Event-ID` names.
 */
import { decodeEvent, encodeEvent } from '../../src/events/encode';
import { parseSseId, sseId, toSse } from '../../src/events/sse';
import type { ProcessEvent, StampedEvent } from '../../src/events/types';

const output = (processId: string, chunk: string, seq?: number): ProcessEvent => ({ type: 'output', processId, stream: 'stdout', chunk, at: 1, ...(seq === undefined ? {} : { seq }) });

/** The fields of one SSE message, as a browser's EventSource parses them. */
function parseMessage(text: string): { id?: string; event?: string; data: string[] } {
  expect(text.endsWith('\n\n')).toBe(true);
  const fields: { id?: string; event?: string; data: string[] } = { data: [] };
  for (const line of text.slice(0, -2).split(/\r\n|\r|\n/)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (name === 'data') fields.data.push(value);
    else if (name === 'id' || name === 'event') fields[name] = value;
    else throw new Error(`unexpected field ${name}`);
  }
  return fields;
}

describe('SSE', () => {
  it('frames an event as id, event and one data line holding its NDJSON encoding', () => {
    const event = output('build', 'line 1\nline 2\r\n\u2028end', 7) as StampedEvent;
    const text = toSse(event);
    expect(text).toBe(`id: build:7\nevent: output\ndata: ${encodeEvent(event)}\n\n`);
    const message = parseMessage(text);
    expect(message.data).toHaveLength(1);
    expect(decodeEvent(message.data[0])).toEqual(event);
  });

  it('makes every process id safe in the id and gives it back with parseSseId', () => {
    for (const processId of ['a:b', 'x\ny\rz', 'nul\u0000', 'é 😀', 'lone \ud800', '%25 already', '', '::']) {
      const message = parseMessage(toSse(output(processId, 'x', 12)));
      expect(message.id).toMatch(/^[A-Za-z0-9._~%-]*:12$/);
      expect(message.id).toBe(sseId({ processId, seq: 12 }));
      expect(parseSseId(message.id ?? '')).toEqual({ processId, seq: 12 });
      expect(decodeEvent(message.data[0]).processId).toBe(processId);
    }
    expect(parseSseId('no-seq')).toBeNull();
    expect(parseSseId('a:01')).toBeNull();
    expect(parseSseId('a:b:1')).toBeNull();
  });

  it('an event without seq gets no id line (the last id stays the last numbered event)', () => {
    const message = parseMessage(toSse(output('custom', 'x')));
    expect(message.id).toBeUndefined();
    expect(message.event).toBe('output');
    expect(JSON.parse(message.data[0])).toEqual({ v: 1, ...output('custom', 'x') });
  });
});
