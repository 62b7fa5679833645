/**
 * NDJSON framing: every string round-trips byte-exact (emoji, control bytes, CR/LF inside
 * chunks, U+2028, lone surrogates), however the text is cut into chunks (strings or bytes cut
 * inside a character); another major version, invalid JSON or a line that is not an event
 * is refused with the line number; the encoder numbers events that came without `seq`.
 */
import { from, lastValueFrom, toArray, type Observable } from 'rxjs';
import { decodeEvent, encodeEvent } from '../../src/events/encode';
import { fromNdjson, toNdjson } from '../../src/events/ndjson';
import { ProtocolError } from '../../src/events/protocol-error';
import type { ProcessEvent, StampedEvent } from '../../src/events/types';
import { fixedResult } from '../strategies/helpers';

/** Strings that must come back exactly as they went. */
const NASTY = [
  'plain line\n',
  'emoji 😀 and 𝄞, combining é, CJK 日本語',
  'controls \u0000\u0001\u0007\b\t\u000b\f\u001b[31mred\u001b[0m\u007f',
  'CR\r, CRLF\r\n, LF\n, only CR at the end\r',
  'line separators \u2028 and \u2029, BOM \ufeff',
  'lone surrogates \ud800 and \udfff, reversed pair \udc00\ud800',
  '"quotes" and \\backslashes\\ and </script>',
  '',
];

function events(): StampedEvent[] {
  const list: StampedEvent[] = [{ type: 'start', processId: 'p:1\n😀', pid: 42, command: 'node', args: [...NASTY], at: 1_700_000_000_000, seq: 0 }];
  NASTY.forEach((chunk, i) => list.push({ type: 'output', processId: 'p:1\n😀', stream: i % 2 ? 'stderr' : 'stdout', chunk, at: 1_700_000_000_001 + i, seq: i + 1 }));
  list.push({ type: 'agent', processId: 'p:1\n😀', agent: 'claude', event: { kind: 'text', text: NASTY.join(''), raw: { nested: [NASTY[2], null, 1.5, true] } }, description: NASTY[3], at: 1_700_000_000_100, seq: NASTY.length + 1 });
  list.push({ type: 'result', processId: 'p:1\n😀', result: { ...fixedResult('p:1\n😀', 3, NASTY.join('')), stderr: NASTY[5] }, at: 1_700_000_000_200, seq: NASTY.length + 2 });
  return list;
}

const decodeAll = (chunks: Array<string | Uint8Array>): Promise<StampedEvent[]> => lastValueFrom(from(chunks).pipe(fromNdjson(), toArray()));
const encodeAll = (list: ProcessEvent[]): Promise<string[]> => lastValueFrom(from(list).pipe(toNdjson(), toArray()));
const failure = (source: Observable<unknown>): Promise<unknown> => lastValueFrom(source).then(() => new Error('no error'), (error: unknown) => error);

describe('NDJSON', () => {
  it('encodes one line per event, each ending in \\n, with "v":1 first and no raw line break inside', async () => {
    const lines = await encodeAll(events());
    expect(lines).toHaveLength(events().length);
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toMatch(/[\n\r]/);
      expect(line.startsWith('{"v":1,')).toBe(true);
      // Valid UTF-8 on the wire even with lone surrogates in a string (they are escaped).
      expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
    }
  });

  it('round-trips every string byte-exact, whole or cut into chunks of any size', async () => {
    const text = (await encodeAll(events())).join('');
    expect(await decodeAll([text])).toEqual(events());
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(await decodeAll(chunks)).toEqual(events());
    }
  });

  it('decodes UTF-8 bytes cut inside a character, and CRLF line ends split between chunks', async () => {
    const text = (await encodeAll(events())).join('').replaceAll('\n', '\r\n');
    const bytes = Buffer.from(text, 'utf8');
    for (const size of [1, 5, 13]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(await decodeAll(chunks)).toEqual(events());
    }
  });

  it('skips blank lines and decodes a last line without its \\n', async () => {
    const [first, second] = events().map(encodeEvent);
    expect(await decodeAll([`\n${first}\n  \n\r\n${second}`])).toEqual(events().slice(0, 2));
  });

  it('refuses another major version, naming the line', async () => {
    const [first, second] = events().map(encodeEvent);
    const error = await failure(from([`${first}\n`, second.replace('"v":1', '"v":2'), '\n']).pipe(fromNdjson()));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ name: 'ProtocolError', line: 2, message: 'line 2: protocol version 2; this reader speaks version 1' });
    expect(() => decodeEvent(second.replace('"v":1,', ''), 9)).toThrow('line 9: no protocol version ("v")');
  });

  it('refuses a line that never ends past maxLineLength, holding no more than that; a whole line up to it passes', async () => {
    const [first] = events().map(encodeEvent);
    const endless = from([`${first}\n`, ...Array.from({ length: 50 }, () => 'x'.repeat(1000))]);
    const error = await failure(endless.pipe(fromNdjson({ maxLineLength: 10_000 })));
    expect(error).toMatchObject({ name: 'ProtocolError', line: 2, message: 'line 2: line longer than maxLineLength (10000)' });
    const exact = await lastValueFrom(from([`${first}\n`]).pipe(fromNdjson({ maxLineLength: first.length }), toArray()));
    expect(exact).toHaveLength(1);
    expect(() => fromNdjson({ maxLineLength: 0 })).toThrow(TypeError);
  });

  it('refuses invalid JSON and lines that are not events, naming the line', async () => {
    const [first] = events().map(encodeEvent);
    const broken = await failure(from([`${first}\n${first}\n{"v":1,"type":`, '"output"\n']).pipe(fromNdjson()));
    expect(broken).toBeInstanceOf(ProtocolError);
    expect((broken as ProtocolError).message).toMatch(/^line 3: not valid JSON/);
    expect(() => decodeEvent('[1]', 4)).toThrow('line 4: not a JSON object');
    expect(() => decodeEvent('{"v":1,"type":"output","processId":"a","at":1}', 5)).toThrow('line 5: no "seq"');
    expect(() => decodeEvent('{"v":1,"type":"output","processId":"a","seq":0}', 6)).toThrow('line 6: no "at"');
    const notUtf8 = await failure(from([Buffer.from(`${first}\n`), Buffer.from([0xff, 0xfe, 0x0a])]).pipe(fromNdjson()));
    expect(notUtf8).toMatchObject({ name: 'ProtocolError', line: 2 });
  });

  it('numbers events that came without seq (per process, after any seq already seen) and stamps a missing at', async () => {
    const bare = (processId: string, chunk: string) => ({ type: 'output', processId, stream: 'stdout', chunk }) as unknown as ProcessEvent;
    const before = Date.now();
    const decoded = await decodeAll(await encodeAll([bare('a', '1'), bare('b', '1'), { ...bare('a', '2'), seq: 5, at: 3 }, bare('a', '3')]));
    expect(decoded.map((e) => [e.processId, e.seq])).toEqual([['a', 0], ['b', 0], ['a', 5], ['a', 6]]);
    expect(decoded[0].at).toBeGreaterThanOrEqual(before);
    expect(decoded[2].at).toBe(3);
  });
});
