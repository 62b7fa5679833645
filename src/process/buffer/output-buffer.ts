/**
 * What a result keeps of one stream: everything, up to `maxBuffer` characters; past that the
 * last `maxBuffer` characters, with a count of what was dropped from the start. Live events are
 * not affected: they carry every chunk. Characters here are UTF-16 units (a string's `length`):
 * an emoji counts 2. The cut never splits one: when it would, that character is dropped too, so
 * the kept text is then one unit shorter than `maxBuffer`, and `dropped` counts it.
 *
 * The bytes live outside the JavaScript heap in a queue of slabs (up to 1 MiB each, reused once
 * the stream has passed them) and are decoded once, at the end. Kept as strings, every chunk
 * survived young-generation collections and was copied into the old generation; kept as one
 * Buffer per chunk, dropped ones waited for a full collection; kept in one growing ring, each
 * growth touched fresh memory. Each time the collector or page faults, not the reading, set the
 * pace on a big stream (`npm run bench`, scenarios 3 and 5). Two ways in:
 * - `pushBytes`: the bytes as read from a pipe, with the number of characters the stream's
 *   decoder made of them. `text()` decodes the kept bytes again with a fresh decoder, so the
 *   result is exactly what the live decoder produced.
 * - `pushText`: text that is not a plain decode of bytes read (terminal mode rewrites `\r\n`),
 *   stored UTF-8 encoded. A decoded chunk never holds a lone surrogate, so it decodes back exactly.
 */
import { StringDecoder } from 'node:string_decoder';
import { codePointStart } from '../text/code-point-cut';
import { SlabQueue } from './slab-queue';

/** Characters kept beyond `maxBuffer` when whole chunks are let go (see `text`). */
const SYNC_MARGIN = 8;

export class OutputBuffer {
  private readonly bytes = new SlabQueue();
  // One entry per kept chunk, oldest first from `first`: its size in bytes and in characters.
  private sizes: number[] = [];
  private lengths: number[] = [];
  private first = 0;
  private kept = 0; // characters the kept chunks stand for
  private total = 0; // characters of the whole stream
  private raw: boolean | undefined; // bytes as read (pushBytes) or encoded text (pushText)
  private decoded: string | undefined; // `text()`, until more arrives

  constructor(private readonly maxBuffer: number) {}

  /** Characters (UTF-16 units) dropped from the start of the stream: all but those `text()` keeps. */
  get dropped(): number {
    return this.total > this.maxBuffer ? this.total - this.text().length : 0;
  }

  /** Bytes read from the stream, which its decoder turned into `chars` characters (0 for a partial character; no bytes for the decoder's final flush). */
  pushBytes(bytes: Buffer, chars: number): void {
    this.raw ??= true;
    this.add(chars);
    if (bytes.length === 0 && chars === 0) return;
    this.bytes.write(bytes);
    this.record(bytes.length, chars);
  }

  /** Text to keep as it is. */
  pushText(text: string): void {
    if (text.length === 0) return;
    this.raw ??= false;
    this.add(text.length);
    this.record(this.bytes.writeText(text), text.length);
  }

  /** The kept text: the last `maxBuffer` characters at most, starting on a whole character. */
  text(): string {
    this.decoded ??= this.decode();
    return this.decoded;
  }

  private decode(): string {
    // Decoded slab by slab and joined with `+`: V8 keeps such a join as a rope until something
    // needs it flat, so no copy of the whole is made here, and no 16 MiB buffer is allocated to
    // decode from. A fresh decoder: in `pushBytes` mode, when chunks were let go, it starts at a
    // chunk boundary that may fall inside a character; at most a few characters at the very start
    // then differ from the live decode, and SYNC_MARGIN keeps them outside the last maxBuffer.
    const decoder = new StringDecoder('utf8');
    const pieces = this.bytes.parts().map((part) => decoder.write(part));
    pieces.push(decoder.end());
    let length = 0;
    for (const piece of pieces) length += piece.length;
    // Cut the oldest characters beyond maxBuffer from the pieces they are in. A decoder never
    // splits a character between two pieces, so a pair cut in two lies inside one piece.
    let cut = Math.max(0, length - this.maxBuffer);
    let whole = '';
    for (const piece of pieces) {
      if (cut >= piece.length) {
        cut -= piece.length;
        continue;
      }
      whole += cut > 0 ? piece.slice(codePointStart(piece, cut)) : piece;
      cut = 0;
    }
    return whole;
  }

  /** Counts `chars` more characters and lets go of the whole chunks no longer needed. */
  private add(chars: number): void {
    this.decoded = undefined;
    this.total += chars;
    this.kept += chars;
    // Whole chunks only; `text()` cuts the characters inside the oldest ones.
    const margin = this.raw ? SYNC_MARGIN : 0;
    while (this.first < this.sizes.length && this.kept - this.lengths[this.first] >= this.maxBuffer + margin) {
      this.kept -= this.lengths[this.first];
      this.bytes.drop(this.sizes[this.first]);
      this.first += 1;
    }
    if (this.first > 1024 && this.first * 2 > this.sizes.length) {
      this.sizes = this.sizes.slice(this.first);
      this.lengths = this.lengths.slice(this.first);
      this.first = 0;
    }
  }

  private record(size: number, chars: number): void {
    this.sizes.push(size);
    this.lengths.push(chars);
  }
}
