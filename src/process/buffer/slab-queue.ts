/**
 * A first-in, first-out queue of bytes in slabs allocated outside the JavaScript heap: written
 * at the tail, dropped at the head, read out whole. Slabs grow from 16 KiB to 1 MiB as the
 * stream does, so a small output costs little; a slab the head has passed is reused for the
 * tail, so a long stream touches the same memory again instead of fresh pages.
 */
const MIN_SLAB = 16 * 1024;
const MAX_SLAB = 1024 * 1024;

export class SlabQueue {
  private slabs: Buffer[] = [];
  private spare: Buffer | undefined; // one passed full-size slab, kept for reuse
  private head = 0; // offset of the oldest byte in slabs[0]
  private tail = 0; // offset after the newest byte in the last slab
  private size = 0;

  /** Bytes held. */
  get length(): number {
    return this.size;
  }

  write(bytes: Buffer): void {
    let from = 0;
    while (from < bytes.length) {
      const slab = this.room();
      const count = Math.min(bytes.length - from, slab.length - this.tail);
      slab.set(from === 0 && count === bytes.length ? bytes : bytes.subarray(from, from + count), this.tail);
      this.tail += count;
      from += count;
    }
    this.size += bytes.length;
  }

  /** Writes `text` UTF-8 encoded; returns its size in bytes. */
  writeText(text: string): number {
    const last = this.slabs[this.slabs.length - 1];
    // A character takes at most 3 bytes per UTF-16 unit: with that much room it surely fits,
    // and the size comes from the write itself instead of a second pass over the text.
    if (last && last.length - this.tail >= text.length * 3) {
      const size = last.write(text, this.tail, 'utf8');
      this.tail += size;
      this.size += size;
      return size;
    }
    const size = Buffer.byteLength(text, 'utf8');
    if (last && last.length - this.tail >= size) {
      last.write(text, this.tail, 'utf8');
      this.tail += size;
      this.size += size;
    } else {
      this.write(Buffer.from(text, 'utf8'));
    }
    return size;
  }

  /** Forgets the `count` oldest bytes. */
  drop(count: number): void {
    let left = Math.min(count, this.size);
    this.size -= left;
    while (left > 0) {
      const end = this.slabs.length === 1 ? this.tail : this.slabs[0].length;
      const step = Math.min(left, end - this.head);
      this.head += step;
      left -= step;
      if (this.head === this.slabs[0].length && this.slabs.length > 1) {
        const passed = this.slabs.shift() as Buffer;
        if (passed.length === MAX_SLAB) this.spare = passed;
        this.head = 0;
      }
    }
    if (this.size === 0 && this.slabs.length === 1) this.head = this.tail = 0;
  }

  /** Every byte held, oldest first, as views of the slabs (no copy). */
  parts(): Buffer[] {
    const last = this.slabs.length - 1;
    return this.slabs.map((slab, i) => slab.subarray(i === 0 ? this.head : 0, i === last ? this.tail : slab.length));
  }

  /** The last slab, with room after `tail`: a new (or reused) one when it is full. */
  private room(): Buffer {
    const last = this.slabs[this.slabs.length - 1];
    if (last && this.tail < last.length) return last;
    const grown = Math.min(MAX_SLAB, Math.max(MIN_SLAB, this.size));
    const slab = grown === MAX_SLAB && this.spare ? this.spare : Buffer.allocUnsafeSlow(grown);
    if (slab === this.spare) this.spare = undefined;
    this.slabs.push(slab);
    this.tail = 0;
    return slab;
  }
}
