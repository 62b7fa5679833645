/**
 * LineBlocks (and LineSplitter, built on it) hand out exactly the lines of a plain model: the
 * whole text so far split at `\n`, the unfinished last line cut into maxLineLength pieces.
 */
import { LineBlocks } from '../../../src/process/text/line-blocks';
import { LineSplitter } from '../../../src/process/text/line-splitter';

/** The model: what the lines are, computed from all of the text at once. */
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

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('LineBlocks', () => {
  it.each([1, 2, 3, 4, 5])('gives the lines of the model on random chunks, and so does LineSplitter (seed %i)', (seed) => {
    const random = generator(seed);
    const max = 16;
    const model = new ModelSplitter(max);
    const splitter = new LineSplitter(max);
    const blocks = new LineBlocks(max);
    const expected: string[] = [];
    const got: string[] = [];
    const split: string[] = [];
    for (let i = 0; i < 500; i += 1) {
      const length = Math.floor(random() * 40);
      let chunk = '';
      for (let c = 0; c < length; c += 1) chunk += random() < 0.15 ? '\n' : String.fromCharCode(97 + Math.floor(random() * 26));
      expected.push(...model.push(chunk));
      split.push(...splitter.push(chunk));
      const block = blocks.push(chunk);
      if (block !== undefined) got.push(...block.split('\n'));
    }
    expected.push(...model.flush());
    split.push(...splitter.flush());
    const rest = blocks.flush();
    if (rest !== undefined) got.push(rest);
    expect(got).toEqual(expected);
    expect(split).toEqual(expected);
  });

  it('returns undefined while no line is complete, and empty lines as such', () => {
    const blocks = new LineBlocks();
    expect(blocks.push('abc')).toBeUndefined();
    expect(blocks.push('\n\n')).toBe('abc\n');
    expect(blocks.flush()).toBeUndefined();
  });

  it('hands out a line of megabytes whole once its end arrives, when maxLineLength allows', () => {
    const blocks = new LineBlocks(4 * 1024 * 1024);
    const part = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 48; i += 1) expect(blocks.push(part)).toBeUndefined();
    expect(blocks.push('y\nz')).toBe(`${part.repeat(48)}y`);
    expect(blocks.flush()).toBe('z');
  });
});
