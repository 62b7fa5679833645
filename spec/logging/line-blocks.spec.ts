/**
 * LineBlocks hands out exactly the lines LineSplitter does, joined into one block per chunk.
 */
import { LineBlocks } from '../../src/logging/line-blocks';
import { LineSplitter } from '../../src/process/line-splitter';

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('LineBlocks', () => {
  it.each([1, 2, 3, 4, 5])('gives the same lines as LineSplitter on random chunks (seed %i)', (seed) => {
    const random = generator(seed);
    const max = 16;
    const splitter = new LineSplitter(max);
    const blocks = new LineBlocks(max);
    const expected: string[] = [];
    const got: string[] = [];
    for (let i = 0; i < 500; i += 1) {
      const length = Math.floor(random() * 40);
      let chunk = '';
      for (let c = 0; c < length; c += 1) chunk += random() < 0.15 ? '\n' : String.fromCharCode(97 + Math.floor(random() * 26));
      expected.push(...splitter.push(chunk));
      const block = blocks.push(chunk);
      if (block !== undefined) got.push(...block.split('\n'));
    }
    expected.push(...splitter.flush());
    const rest = blocks.flush();
    if (rest !== undefined) got.push(rest);
    expect(got).toEqual(expected);
  });

  it('returns undefined while no line is complete, and empty lines as such', () => {
    const blocks = new LineBlocks();
    expect(blocks.push('abc')).toBeUndefined();
    expect(blocks.push('\n\n')).toBe('abc\n');
    expect(blocks.flush()).toBeUndefined();
  });
});
