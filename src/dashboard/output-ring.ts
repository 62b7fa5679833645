/**
 * One process's output for the page: the last `capacity` characters (UTF-16 units) of everything
 * it wrote, addressed by absolute offsets from its first character, so that a page can load the
 * tail first and then earlier parts on demand (`slice`) while new output keeps arriving. Memory
 * stays under 1.25 x `capacity` however much the process writes; what fell out is in its log file.
 */
export interface OutputSlice {
  /** Offset of the first character of `text`. */
  readonly start: number;
  /** Offset just after its last character. */
  readonly end: number;
  /** The oldest offset still held (earlier output is gone from memory). */
  readonly first: number;
  /** Everything the process wrote so far, in characters. */
  readonly total: number;
  readonly text: string;
}

export class OutputRing {
  private pieces: string[] = [];
  private held = 0;
  private written = 0;

  constructor(private readonly capacity: number) {}

  /** Characters written so far (the offset after the last one). */
  get total(): number {
    return this.written;
  }

  push(chunk: string): void {
    if (chunk === '') return;
    this.pieces.push(chunk);
    this.held += chunk.length;
    this.written += chunk.length;
    // Joined and cut once a quarter more than the capacity is held: amortised, at most 1.25x held.
    if (this.held > this.capacity + Math.max(this.capacity >> 2, 65536) || this.pieces.length > 4096) this.compact();
  }

  /** At most `limit` characters ending at `end` (default: the tail), never before what is held. */
  slice(options: { readonly end?: number; readonly limit: number }): OutputSlice {
    this.compact();
    const text = this.pieces[0] ?? '';
    const first = this.written - text.length;
    const end = Math.min(Math.max(options.end ?? this.written, first), this.written);
    const start = Math.max(first, end - Math.max(0, options.limit));
    let part = text.slice(start - first, end - first);
    // Never start inside a surrogate pair: drop the lone low half.
    let from = start;
    if (part.length > 0 && /^[\uDC00-\uDFFF]/.test(part)) {
      part = part.slice(1);
      from += 1;
    }
    return { start: from, end, first, total: this.written, text: part };
  }

  /** Joins the pieces and drops what is older than `capacity`. */
  private compact(): void {
    if (this.pieces.length <= 1 && this.held <= this.capacity) return;
    let text = this.pieces.join('');
    // A slice would keep the whole joined string alive (V8 sliced strings): copy the part kept.
    if (text.length > this.capacity) text = Buffer.from(text.slice(text.length - this.capacity), 'utf16le').toString('utf16le');
    this.pieces = text === '' ? [] : [text];
    this.held = text.length;
  }
}
