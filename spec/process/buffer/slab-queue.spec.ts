/**
 * SlabQueue: the bytes behind OutputBuffer. What goes in comes out in order, across slab
 * boundaries, whatever is dropped from the head in between.
 */
import { SlabQueue } from '../../../src/process/buffer/slab-queue';

/** One period of the stream: the bytes 0..250. */
const PERIOD = Buffer.from(Array.from({ length: 251 }, (_, i) => i));

/** Deterministic bytes: byte i of the stream is i mod 251 (copied period by period: megabytes in microseconds). */
function streamBytes(from: number, count: number): Buffer {
  const bytes = Buffer.allocUnsafe(count);
  let offset = 0;
  let start = from % 251;
  while (offset < count) {
    offset += PERIOD.copy(bytes, offset, start);
    start = 0;
  }
  return bytes;
}

describe('SlabQueue', () => {
  it('gives back every byte in order across many slabs, with drops in between', () => {
    const queue = new SlabQueue();
    let written = 0;
    let dropped = 0;
    // Writes of awkward sizes (some larger than a slab), dropping about half as it goes.
    for (const size of [1, 7, 16384, 16385, 3, 70000, 1048576, 5, 2000000, 12]) {
      queue.write(streamBytes(written, size));
      written += size;
      const drop = Math.floor((written - dropped) / 2);
      queue.drop(drop);
      dropped += drop;
      expect(queue.length).toBe(written - dropped);
    }
    expect(Buffer.concat(queue.parts()).equals(streamBytes(dropped, written - dropped))).toBe(true);
  });

  it('keeps text UTF-8 encoded, in and across slabs', () => {
    const queue = new SlabQueue();
    const parts = ['héllo ', '€'.repeat(10000), ' 𝄞 ', 'x'.repeat(40000)];
    const sizes = parts.map((part) => queue.writeText(part));
    expect(sizes).toEqual(parts.map((part) => Buffer.byteLength(part)));
    expect(Buffer.concat(queue.parts()).toString('utf8')).toBe(parts.join(''));
  });

  it('holds nothing once everything is dropped, and starts over cleanly', () => {
    const queue = new SlabQueue();
    queue.write(Buffer.from('abc'));
    queue.drop(10);
    expect(queue.length).toBe(0);
    expect(Buffer.concat(queue.parts()).length).toBe(0);
    queue.write(Buffer.from('de'));
    expect(Buffer.concat(queue.parts()).toString()).toBe('de');
  });

  it('stays exact over a long stream that reuses its slabs (bounded by what is kept)', () => {
    const queue = new SlabQueue();
    let written = 0;
    let dropped = 0;
    for (let i = 0; i < 200; i += 1) {
      queue.write(streamBytes(written, 65536));
      written += 65536;
      const excess = queue.length - 3 * 1048576;
      if (excess > 0) {
        queue.drop(excess);
        dropped += excess;
      }
    }
    expect(queue.length).toBe(3 * 1048576);
    expect(Buffer.concat(queue.parts()).equals(streamBytes(dropped, written - dropped))).toBe(true);
  });
});
