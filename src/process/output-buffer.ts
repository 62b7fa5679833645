/**
 * What a result keeps of one stream: everything, up to `maxBuffer` characters; past that the
 * last `maxBuffer` characters, with a count of what was dropped from the start. Live events are
 * not affected: they carry every chunk.
 *
 * The bytes live in one ring buffer outside the JavaScript heap, reused as the stream goes on,
 * and are decoded once, at the end. Kept as strings, every chunk survived young-generation
 * collections and was copied into the old generation; kept as separate Buffers, dropped ones
 * waited for a full collection. Either way the collector, not the reading, set the pace on a big
 * stream (`npm run bench`, scenarios 3 and 5). Two ways in:
 * - `pushBytes`: the bytes as read from a pipe, with the number of characters the stream's
 *   decoder made of them. `text()` decodes the kept bytes again with a fresh decoder, so the
 *   result is exactly what the live decoder produced.
 * - `pushText`: text that is not a plain decode of bytes read (terminal mode rewrites `\r\n`),
 *   stored UTF-8 encoded. A decoded chunk never holds a lone surrogate, so it decodes back exactly.
 */
import { StringDecoder } from 'node:string_decoder';

/** Characters kept beyond `maxBuffer` when whole chunks are let go (see `text`). */
const SYNC_MARGIN = 8;
const FIRST_CAPACITY = 64 * 1024;

export class OutputBuffer {
  private ring: Buffer = Buffer.alloc(0);
  private start = 0; // offset of the oldest kept byte in `ring`
  private used = 0; // kept bytes
  // One entry per kept chunk, oldest first from `first`: its size in bytes and in characters.
  private sizes: number[] = [];
  private lengths: number[] = [];
  private first = 0;
  private kept = 0; // characters the kept chunks stand for
  private total = 0; // characters of the whole stream
  private raw: boolean | undefined; // bytes as read (pushBytes) or encoded text (pushText)

  constructor(private readonly maxBuffer: number) {}

  /** Characters dropped from the start of the stream. */
  get dropped(): number {
    return Math.max(0, this.total - this.maxBuffer);
  }

  /** Bytes read from the stream, which its decoder turned into `chars` characters (0 for a partial character; no bytes for the decoder's final flush). */
  pushBytes(bytes: Buffer, chars: number): void {
    this.raw ??= true;
    this.add(bytes, chars);
  }

  /** Text to keep as it is. */
  pushText(text: string): void {
    if (text.length === 0) return;
    this.raw ??= false;
    this.add(Buffer.from(text, 'utf8'), text.length);
  }

  text(): string {
    const bytes = this.linear();
    let whole: string;
    if (this.raw) {
      // A fresh decoder. When chunks were let go, it starts at a chunk boundary that may fall
      // inside a character: at most a few characters at the very start differ from the live
      // decode, and SYNC_MARGIN keeps them outside the last maxBuffer characters.
      const decoder = new StringDecoder('utf8');
      whole = decoder.write(bytes) + decoder.end();
    } else {
      whole = bytes.toString('utf8');
    }
    return whole.length > this.maxBuffer ? whole.slice(whole.length - this.maxBuffer) : whole;
  }

  private add(bytes: Buffer, chars: number): void {
    this.total += chars;
    this.kept += chars;
    if (bytes.length === 0 && chars === 0) return;
    // Let go of whole chunks only; `text()` cuts the characters inside the oldest ones.
    const margin = this.raw ? SYNC_MARGIN : 0;
    while (this.first < this.sizes.length && this.kept - this.lengths[this.first] >= this.maxBuffer + margin) {
      this.kept -= this.lengths[this.first];
      this.used -= this.sizes[this.first];
      this.start = (this.start + this.sizes[this.first]) % Math.max(1, this.ring.length);
      this.first += 1;
    }
    if (this.first > 1024 && this.first * 2 > this.sizes.length) {
      this.sizes = this.sizes.slice(this.first);
      this.lengths = this.lengths.slice(this.first);
      this.first = 0;
    }
    if (this.used + bytes.length > this.ring.length) this.grow(this.used + bytes.length);
    const end = (this.start + this.used) % this.ring.length;
    const fits = Math.min(bytes.length, this.ring.length - end);
    bytes.copy(this.ring, end, 0, fits);
    if (fits < bytes.length) bytes.copy(this.ring, 0, fits);
    this.used += bytes.length;
    this.sizes.push(bytes.length);
    this.lengths.push(chars);
  }

  /** A larger ring holding the kept bytes, oldest first, from offset 0. */
  private grow(needed: number): void {
    // Doubling while small; past 4 MiB a quarter more, so a 16 Mi ring does not take 32 MiB.
    const step = this.ring.length < 4 * 1024 * 1024 ? this.ring.length * 2 : Math.ceil(this.ring.length * 1.25);
    const capacity = Math.max(FIRST_CAPACITY, step, Math.ceil(needed * 1.25));
    const ring = Buffer.allocUnsafeSlow(capacity);
    this.linear().copy(ring);
    this.ring = ring;
    this.start = 0;
  }

  /** The kept bytes in order, as one Buffer (a view of the ring when they do not wrap). */
  private linear(): Buffer {
    const end = this.start + this.used;
    if (end <= this.ring.length) return this.ring.subarray(this.start, end);
    return Buffer.concat([this.ring.subarray(this.start), this.ring.subarray(0, end - this.ring.length)]);
  }
}
