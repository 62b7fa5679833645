/**
 * maxBuffer: a result keeps at most `maxBuffer` characters of each stream (the last ones), says
 * what it dropped, while live events and logs still carry everything.
 */
import { StringDecoder } from 'node:string_decoder';
import { lastValueFrom, toArray } from 'rxjs';
import { codePointStart } from '../../../src/process/text/code-point-cut';
import { CommandProcess } from '../../../src/runnable/command-process';
import { OutputBuffer } from '../../../src/process/buffer/output-buffer';
import type { OutputEvent } from '../../../src/process/types';
import { MODES } from '../../helpers';

/** The model: the last `max` UTF-16 units of `text`, without the first half of a pair cut in two. */
function lastUnits(text: string, max: number): string {
  return text.slice(codePointStart(text, text.length - max));
}

describe('OutputBuffer', () => {
  it('keeps everything up to maxBuffer characters', () => {
    const buffer = new OutputBuffer(10);
    buffer.pushText('abc');
    buffer.pushText('defghij');
    expect(buffer.text()).toBe('abcdefghij');
    expect(buffer.dropped).toBe(0);
  });

  it('keeps the last maxBuffer characters and counts what it dropped, across and inside chunks', () => {
    const buffer = new OutputBuffer(5);
    for (const chunk of ['abc', 'defg', 'h', 'ijklmnop']) buffer.pushText(chunk);
    expect(buffer.text()).toBe('lmnop');
    expect(buffer.dropped).toBe('abcdefghijk'.length);
  });

  it('stays exact over many small chunks (the dropped slots are compacted)', () => {
    const buffer = new OutputBuffer(100);
    let all = '';
    for (let i = 0; i < 5000; i += 1) {
      const chunk = `${i},é𝄞`;
      all += chunk;
      buffer.pushText(chunk);
    }
    expect(buffer.text()).toBe(lastUnits(all, 100));
    expect(buffer.dropped).toBe(all.length - buffer.text().length);
  });
});

describe('OutputBuffer with bytes as read', () => {
  /** Feeds `bytes` cut into `size`-byte reads, as a pipe would, through a live decoder. */
  function feed(buffer: OutputBuffer, bytes: Buffer, size: number): string {
    const decoder = new StringDecoder('utf8');
    let live = '';
    for (let at = 0; at < bytes.length; at += size) {
      const chunk = bytes.subarray(at, at + size);
      const text = decoder.write(chunk);
      buffer.pushBytes(chunk, text.length);
      live += text;
    }
    const tail = decoder.end();
    buffer.pushBytes(Buffer.alloc(0), tail.length);
    return live + tail;
  }

  // Multi-byte characters, invalid bytes and an incomplete character at the very end.
  const messy = Buffer.concat([
    Buffer.from('héllo € 𝄞 日本語 '.repeat(50)),
    Buffer.from([0xff, 0x41, 0xe2, 0x82, 0x41, 0xc3]),
    Buffer.from('tail 𝄞'),
    Buffer.from([0xf0, 0x9d]),
  ]);

  it.each([1, 2, 3, 5, 7, 64])('gives back exactly what the live decoder produced, in %i-byte reads', (size) => {
    const buffer = new OutputBuffer(1_000_000);
    const live = feed(buffer, messy, size);
    expect(buffer.text()).toBe(live);
    expect(buffer.dropped).toBe(0);
  });

  it.each([1, 2, 3, 5, 7, 64])('keeps exactly the last maxBuffer characters when it drops, in %i-byte reads', (size) => {
    for (const maxBuffer of [1, 10, 37, 200]) {
      const buffer = new OutputBuffer(maxBuffer);
      const live = feed(buffer, messy, size);
      expect(buffer.text()).toBe(lastUnits(live, maxBuffer));
      expect(buffer.dropped).toBe(live.length - buffer.text().length);
    }
  });
});

describe.each(MODES)('maxBuffer in $mode', ({ terminal }) => {
  it('cuts the result to the last maxBuffer characters, flags it, and still emits every chunk live', async () => {
    const process$ = new CommandProcess({ command: 'seq', args: ['1', '20000'], maxBuffer: 1000, terminal });
    const events = await lastValueFrom(process$.events().pipe(toArray()));
    const live = events.filter((e): e is OutputEvent => e.type === 'output').map((e) => e.chunk).join('');
    const whole = `${Array.from({ length: 20000 }, (_, i) => String(i + 1)).join('\n')}\n`;
    expect(live).toBe(whole);
    const last = events[events.length - 1];
    if (last.type !== 'result') throw new Error('no result');
    expect(last.result.exitCode).toBe(0);
    expect(last.result.output).toBe(whole.slice(-1000));
    expect(last.result.truncated).toEqual({ kept: 'last', maxBuffer: 1000, stdoutDropped: whole.length - 1000, stderrDropped: 0 });
  });

  it('leaves truncated null when the output fits', async () => {
    const result = await new CommandProcess({ command: 'seq', args: ['1', '10'], maxBuffer: 1000, terminal }).run();
    expect(result.truncated).toBeNull();
  });
});

it('rejects a maxBuffer that is not a positive integer', () => {
  expect(() => new CommandProcess({ command: 'true', maxBuffer: 0 })).toThrow(/maxBuffer must be a positive integer, received 0/);
  expect(() => new CommandProcess({ command: 'true', maxBuffer: 1.5 })).toThrow(TypeError);
});
