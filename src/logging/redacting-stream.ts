/**
 * Redacts a stream of output chunks before anything cuts it: a secret split across two reads, or
 * across the pieces a very long line is handed out in, is still found.
 *
 * Whole lines are redacted together with the partial line before them. An unfinished line is
 * held until its end; one growing past `maxHeld` characters is redacted and handed out except its
 * end, which could be the start of a secret that continues in the next chunk (`openTailStart`,
 * moved back out of any secret it would split): that end is kept and redacted with what follows. What comes out, concatenated, is the
 * stream redacted as a whole, so cutting it afterwards (into log lines, for a display) cannot
 * expose half a secret. Memory stays bounded by `maxHeld` plus one chunk.
 */
import { openTailStart, type Redactor } from './redact';
import { codePointEnd } from '../process/text/code-point-cut';

export interface RedactingStreamOptions {
  /** Characters an unfinished line may reach before its start is handed out. @default 65536 */
  readonly maxHeld?: number;
  /**
   * A `\r` ends a piece too, so a progress line redrawn with `\r` shows at once (for a display;
   * a secret holding a `\r` is then matched line by line). @default false
   */
  readonly carriageReturn?: boolean;
}

export class RedactingStream {
  private held = '';
  private readonly maxHeld: number;
  private readonly carriageReturn: boolean;

  constructor(
    private readonly redact: Redactor,
    options: RedactingStreamOptions = {},
  ) {
    this.maxHeld = options.maxHeld ?? 64 * 1024;
    this.carriageReturn = options.carriageReturn ?? false;
  }

  /** The redacted text `chunk` completes: whole lines (each ending in `\n`), or a released part of a long line. */
  push(chunk: string): string {
    const end = this.carriageReturn ? Math.max(chunk.lastIndexOf('\n'), chunk.lastIndexOf('\r')) : chunk.lastIndexOf('\n');
    if (end >= 0) {
      const lines = this.redact(this.held + chunk.slice(0, end + 1));
      this.held = chunk.slice(end + 1);
      return this.held.length > this.maxHeld ? lines + this.release() : lines;
    }
    this.held += chunk;
    return this.held.length > this.maxHeld ? this.release() : '';
  }

  /** The rest (an unfinished last line), redacted; the stream starts afresh. */
  flush(): string {
    const rest = this.held === '' ? '' : this.redact(this.held);
    this.held = '';
    return rest;
  }

  /** Hands out a long unfinished line but the end that could begin a secret (kept as it is, for the next chunk). */
  private release(): string {
    const text = this.held;
    let cut = openTailStart(text, this.redact);
    // The kept end is bounded: past half of maxHeld, the line is released whole (no secret is that long).
    if (text.length - cut > this.maxHeld / 2) cut = text.length;
    // Never between the two halves of a surrogate pair.
    if (cut > 0 && cut < text.length) cut = codePointEnd(text, cut);
    this.held = text.slice(cut);
    return this.redact(text.slice(0, cut));
  }
}

