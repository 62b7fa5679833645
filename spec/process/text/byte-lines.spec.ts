/**
 * The byte passes of native/bytes.c and their JavaScript fallbacks, which write the same bytes for
 * the same input (hand-picked cases and seeded random blocks): the log line marker (each line of
 * a block after its prefix, a last newline starting no line, a long line in pieces cut between
 * characters, room asked for when the destination is short) and the terminal's `\r\n` collapse.
 * And the redactor's triggers: a text holding none of them is never changed by the redactor, so
 * skipping it there loses nothing.
 */
import { MAX_LOG_LINE } from '../../../src/logging/block-file';
import { collapseCrlfJs, collapseCrlfNative, markLinesJs, markLinesNative, type CollapseCrlf, type MarkLines } from '../../../src/process/text/byte-lines';
import { createRedactor } from '../../../src/logging/redact';

/** Marks `text` with `marker` into a fresh buffer; the result as text. */
function marked(marker: MarkLines, text: string, prefix = 'P| ', maxLine = MAX_LOG_LINE): string {
  const src = Buffer.from(text);
  // Asked with no room: minus the room needed (0 for an empty block, which needs none).
  const asked = marker(src, src.length, Buffer.from(prefix), Buffer.alloc(0), 0, maxLine);
  expect(asked <= 0).toBe(true);
  const needed = Math.abs(asked);
  const dst = Buffer.alloc(needed + 3, '#');
  expect(marker(src, src.length, Buffer.from(prefix), dst, 3, maxLine)).toBe(needed);
  expect(dst.subarray(0, 3).toString()).toBe('###');
  return dst.subarray(3).toString();
}

/** A small seeded generator (mulberry32): the same blocks on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const markers: Array<[string, MarkLines]> = [['JavaScript', markLinesJs]];
if (markLinesNative) markers.push(['the addon', markLinesNative]);

describe('the log line marker', () => {
  it('is the addon on Linux (the build falls back with a warning, CI must not)', () => {
    if (process.env.CI === 'true' || process.platform === 'linux') expect(markLinesNative).toBeDefined();
  });

  describe.each(markers)('%s', (_name, marker) => {
    it('writes each line after the prefix; a last newline starts no line; empty lines are lines', () => {
      expect(marked(marker, 'a\nbb\n')).toBe('P| a\nP| bb\n');
      expect(marked(marker, 'a\n\nb')).toBe('P| a\nP| \nP| b\n');
      expect(marked(marker, '\n')).toBe('P| \n');
      expect(marked(marker, 'no end')).toBe('P| no end\n');
      expect(marked(marker, '')).toBe('');
      expect(marked(marker, 'é€𝄞\r\x1b[31m\n')).toBe('P| é€𝄞\r\x1b[31m\n');
    });

    it('cuts a line longer than maxLine into pieces of at most maxLine bytes, never inside a character', () => {
      expect(marked(marker, 'abcdefg\nhi\n', '>', 3)).toBe('>abc\n>def\n>g\n>hi\n');
      // 'é' is 2 bytes, '€' 3, '𝄞' 4: each piece ends before a lead byte.
      const text = 'aé€𝄞é€𝄞x';
      const pieces = marked(marker, text, '', 4).split('\n').slice(0, -1);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces) {
        expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(4);
        expect(piece).not.toContain('\ufffd');
      }
    });

    it('cuts bytes that are not UTF-8 at maxLine rather than looping', () => {
      const src = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x0a]);
      const dst = Buffer.alloc(64);
      const written = marker(src, src.length, Buffer.from('>'), dst, 0, 2);
      expect([...dst.subarray(0, written)]).toEqual([0x3e, 0x80, 0x80, 0x0a, 0x3e, 0x80, 0x80, 0x0a, 0x3e, 0x80, 0x0a]);
    });

    it('asks for the room it needs, writing nothing, when the destination is short', () => {
      const src = Buffer.from('one\ntwo\n');
      const dst = Buffer.alloc(12, '.');
      expect(marker(src, src.length, Buffer.from('> '), dst, 2, 100)).toBe(-12);
      expect(dst.toString()).toBe('.'.repeat(12));
    });

    it('reads only srcLength bytes of the source', () => {
      const src = Buffer.from('a\nb\nNOT THIS\nNOR THIS');
      const dst = Buffer.alloc(64);
      const written = marker(src, 3, Buffer.from('> '), dst, 0, 100);
      expect(dst.subarray(0, written).toString()).toBe('> a\n> b\n');
    });
  });

  it('writes the same bytes from the addon as from JavaScript (seeded random blocks)', () => {
    if (!markLinesNative) return;
    const next = random(12);
    const alphabet = ['a', 'b', '\n', '\n', ' ', 'é', '€', '𝄞', '\r', '\x1b'];
    for (let round = 0; round < 300; round += 1) {
      const length = Math.floor(next() * 400);
      let text = '';
      for (let i = 0; i < length; i += 1) text += alphabet[Math.floor(next() * alphabet.length)];
      const maxLine = 4 + Math.floor(next() * 40);
      expect(marked(markLinesNative, text, '[p] ', maxLine)).toBe(marked(markLinesJs, text, '[p] ', maxLine));
    }
  });
});

/** Collapses `text` with `collapse` into a buffer with a guard byte before; the result as text. */
function collapsed(collapse: CollapseCrlf, text: string): string {
  const src = Buffer.from(text);
  const dst = Buffer.alloc(src.length + 1, '#');
  const written = collapse(src, src.length, dst, 1);
  expect(dst[0]).toBe('#'.charCodeAt(0));
  return dst.subarray(1, 1 + written).toString();
}

const collapsers: Array<[string, CollapseCrlf]> = [['JavaScript', collapseCrlfJs]];
if (collapseCrlfNative) collapsers.push(['the addon', collapseCrlfNative]);

describe('the terminal newline collapse', () => {
  it('is the addon on Linux (CI must not fall back)', () => {
    if (process.env.CI === 'true' || process.platform === 'linux') expect(collapseCrlfNative).toBeDefined();
  });

  it.each(collapsers)('%s: makes each \\r\\n a \\n and leaves every other \\r', (_name, collapse) => {
    expect(collapsed(collapse, 'a\r\nb\r\n')).toBe('a\nb\n');
    expect(collapsed(collapse, '50%\r60%\r\n')).toBe('50%\r60%\n');
    expect(collapsed(collapse, '\r\r\n\n\r')).toBe('\r\n\n\r');
    expect(collapsed(collapse, 'é€𝄞\r\n')).toBe('é€𝄞\n');
    expect(collapsed(collapse, '')).toBe('');
    const src = Buffer.from('x\r\nIGNORED\r\n');
    const dst = Buffer.alloc(16);
    // Only srcLength bytes: a \r last in range is kept, whatever follows it.
    expect(dst.subarray(0, collapse(src, 2, dst, 0)).toString()).toBe('x\r');
    expect(dst.subarray(0, collapse(src, 3, dst, 0)).toString()).toBe('x\n');
  });

  it('writes the same bytes from the addon as from JavaScript (seeded random blocks)', () => {
    if (!collapseCrlfNative) return;
    const next = random(7);
    const alphabet = ['a', '\r', '\n', '\r', 'é', ' '];
    for (let round = 0; round < 300; round += 1) {
      let text = '';
      const length = Math.floor(next() * 200);
      for (let i = 0; i < length; i += 1) text += alphabet[Math.floor(next() * alphabet.length)];
      expect(collapsed(collapseCrlfNative, text)).toBe(collapsed(collapseCrlfJs, text));
      expect(collapsed(collapseCrlfNative, text)).toBe(text.replace(/\r\n/g, '\n'));
    }
  });
});

describe("the redactor's triggers", () => {
  const secrets = ['hunter2-hunter2', 'line-one-of-a-key\nline-two-of-a-key'];
  const redact = createRedactor(secrets);

  it('name every secret (each line of a multi-line one), a key start, and a URL', () => {
    const flat = (redact.triggers ?? []).map((group) => group.join(' + '));
    expect(flat).toEqual(expect.arrayContaining(['hunter2-hunter2', 'line-one-of-a-key', 'line-two-of-a-key', 'sk-ant-', '// + @']));
  });

  it.each([
    'plain text with no secret at all\n',
    'hunter2-hunter is not quite it\n',
    'an address user@example.com but no scheme\n',
    'a url https://example.com/path without credentials\n',
    'sk-ant- too short\n',
  ])('leave alone a text the redactor leaves alone: %j', (text) => {
    expect(redact(text)).toBe(text);
  });

  it.each([
    'the password hunter2-hunter2 here\n',
    'line-two-of-a-key printed alone\n',
    'key sk-ant-api03-ABCDEFGHIJ\n',
    'postgres://admin:s3cr3t-pass@db.example.com/x\n',
  ])('are present in every text the redactor changes: %j', (text) => {
    expect(redact(text)).not.toBe(text);
    const groups = redact.triggers ?? [];
    expect(groups.some((group) => group.every((needle) => text.includes(needle)))).toBe(true);
  });
});
