/**
 * The line engine hands out exactly the lines of a plain model computed from all of the text at
 * once: in 'lf' mode the text split at `\n` with the unfinished last line cut into maxLineLength
 * pieces; in 'cr' mode each line's final state (the text after its last non-empty `\r` piece).
 * Then the behaviours the old splitters had, one by one, and `lastNonBlankLine`.
 */
import { lastNonBlankLine } from '../../../src/process/text/last-non-blank-line';
import { LineEngine } from '../../../src/process/text/line-engine';

/** The 'lf' model: the lines so far, from the whole text. */
class ModelSplitter {
  private partial = '';
  constructor(private readonly max: number) {}
  push(chunk: string): string[] {
    const lines = (this.partial + chunk).split('\n');
    let rest = lines.pop() ?? '';
    while (rest.length > this.max) {
      lines.push(rest.slice(0, this.max));
      rest = rest.slice(this.max);
    }
    this.partial = rest;
    return lines;
  }
  flush(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest ? [rest] : [];
  }
}

/** What a terminal keeps of a line rewritten with `\r`: its last non-empty piece. */
function finalState(line: string): string {
  const pieces = line.split('\r').filter((piece) => piece !== '');
  return pieces[pieces.length - 1] ?? '';
}

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** 500 random chunks of letters, `\n` and (with `cr`) `\r`. */
function randomChunks(seed: number, cr: boolean): string[] {
  const random = generator(seed);
  return Array.from({ length: 500 }, () => {
    let chunk = '';
    const length = Math.floor(random() * 40);
    for (let c = 0; c < length; c += 1) {
      const r = random();
      chunk += r < 0.15 ? '\n' : cr && r < 0.3 ? '\r' : String.fromCharCode(97 + Math.floor(random() * 26));
    }
    return chunk;
  });
}

describe("LineEngine, 'lf' mode", () => {
  it.each([1, 2, 3, 4, 5])('gives the lines of the model on random chunks, as lines and as blocks (seed %i)', (seed) => {
    const model = new ModelSplitter(16);
    const lines = new LineEngine({ maxLineLength: 16 });
    const blocks = new LineEngine({ maxLineLength: 16 });
    const expected: string[] = [];
    const split: string[] = [];
    const joined: string[] = [];
    for (const chunk of randomChunks(seed, false)) {
      expected.push(...model.push(chunk));
      split.push(...lines.push(chunk));
      const block = blocks.pushBlock(chunk);
      if (block !== undefined) joined.push(...block.split('\n'));
    }
    expected.push(...model.flush());
    split.push(...lines.flush());
    joined.push(...blocks.flush());
    expect(split).toEqual(expected);
    expect(joined).toEqual(expected);
  });

  it('returns no block while no line is complete, and empty lines as such', () => {
    const blocks = new LineEngine();
    expect(blocks.pushBlock('abc')).toBeUndefined();
    expect(blocks.pushBlock('\n\n')).toBe('abc\n');
    expect(blocks.flush()).toEqual([]);
  });

  it('hands out a line of megabytes whole once its end arrives, when maxLineLength allows', () => {
    const blocks = new LineEngine({ maxLineLength: 4 * 1024 * 1024 });
    const part = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 48; i += 1) expect(blocks.pushBlock(part)).toBeUndefined();
    expect(blocks.pushBlock('y\nz')).toBe(`${part.repeat(48)}y`);
    expect(blocks.flush()).toEqual(['z']);
  });

  it('hands out a line longer than maxLineLength in pieces, never holding more than that', () => {
    const lines = new LineEngine({ maxLineLength: 4 });
    expect(lines.push('abcdefghij')).toEqual(['abcd', 'efgh']);
    expect(lines.partial()).toBe('ij');
    expect(lines.push('k\nxy')).toEqual(['ijk']);
    expect(lines.flush()).toEqual(['xy']);
  });

  it('never cuts a piece inside a surrogate pair', () => {
    const lines = new LineEngine({ maxLineLength: 4 });
    expect(lines.push('abc😀def😀')).toEqual(['abc', '😀de']);
    expect(lines.flush()).toEqual(['f😀']);
  });

  it('keeps \\r as text', () => {
    expect(new LineEngine().push('a\r\nb\rc\n')).toEqual(['a\r', 'b\rc']);
  });
});

describe("LineEngine, 'cr' mode", () => {
  it.each([1, 2, 3, 4, 5])("gives each line's final state, as the model does on the whole text (seed %i)", (seed) => {
    const lines = new LineEngine({ mode: 'cr' });
    const blocks = new LineEngine({ mode: 'cr' });
    const chunks = randomChunks(seed, true);
    const whole = chunks.join('').split('\n');
    const rest = finalState(whole.pop() ?? '');
    const expected = [...whole.map(finalState), ...(rest ? [rest] : [])];
    const split: string[] = [];
    const joined: string[] = [];
    for (const chunk of chunks) {
      split.push(...lines.push(chunk));
      const block = blocks.pushBlock(chunk);
      if (block !== undefined) joined.push(...block.split('\n'));
    }
    split.push(...lines.flush());
    joined.push(...blocks.flush());
    expect(split).toEqual(expected);
    expect(joined).toEqual(expected);
  });

  it('treats \\r\\n as \\n, also when split between chunks', () => {
    const lines = new LineEngine({ mode: 'cr' });
    expect([...lines.push('a\r\nb\r'), ...lines.push('\nc\r\n')]).toEqual(['a', 'b', 'c']);
  });

  it('makes a line rewritten with lone \\r its final state (a progress bar)', () => {
    const lines = new LineEngine({ mode: 'cr' });
    const got = ['10%\r20%', '\r30%\r', '100%\n', 'done\r\n', 'x\ry\r\n'].flatMap((chunk) => lines.push(chunk));
    expect(got).toEqual(['100%', 'done', 'y']);
  });

  it('holds only the current state of a partial line rewritten many times', () => {
    const lines = new LineEngine({ mode: 'cr' });
    for (let i = 0; i < 5000; i += 1) lines.push(`${i}%\r`);
    expect(lines.partial()).toBe('4999%');
    expect(lines.flush()).toEqual(['4999%']);
  });

  it('hands out no empty partial line at a flush', () => {
    const lines = new LineEngine({ mode: 'cr' });
    expect(lines.push('a\n')).toEqual(['a']);
    expect(lines.push('\r')).toEqual([]);
    expect(lines.flush()).toEqual([]);
  });

  it('cuts the state of a line longer than maxLineLength into pieces', () => {
    const lines = new LineEngine({ mode: 'cr', maxLineLength: 4 });
    expect(lines.push('ab\rcdefgh')).toEqual(['cdef']);
    expect(lines.push('i\r\n')).toEqual(['ghi']);
  });
});

describe("LineEngine, overflow: 'truncate'", () => {
  it('keeps the start of a long unfinished line and drops the rest until the line ends', () => {
    const lines = new LineEngine({ maxLineLength: 4, overflow: 'truncate' });
    expect(lines.push('abcdefgh')).toEqual([]);
    expect(lines.partial()).toBe('abcd');
    expect(lines.push('ij\nxy')).toEqual(['abcd']);
    expect(lines.partial()).toBe('xy');
  });

  it("starts over at a rewind in 'cr' mode, and never cuts inside a surrogate pair", () => {
    const lines = new LineEngine({ mode: 'cr', maxLineLength: 4, overflow: 'truncate' });
    lines.push('abcdefgh\rxyz😀');
    expect(lines.partial()).toBe('xyz');
    lines.push('\r12');
    expect(lines.partial()).toBe('12');
    expect(lines.flush()).toEqual(['12']);
  });
});

describe('lastNonBlankLine', () => {
  it('finds the last line with text, searching back over blank ones', () => {
    expect(lastNonBlankLine('one\ntwo  \n\n  \n')).toBe('two  ');
    expect(lastNonBlankLine('only')).toBe('only');
    expect(lastNonBlankLine('\n \n')).toBe('');
    expect(lastNonBlankLine('a\nb', (line) => line === 'b')).toBe('a');
  });
});
