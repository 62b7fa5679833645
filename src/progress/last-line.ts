/**
 * The last line a process wrote, for a status display (not exported). Each chunk costs a couple
 * of `lastIndexOf` calls, whatever its size: only the last non-blank line is looked at, and a
 * line is kept to `keep` UTF-16 units, cut between characters (never inside an emoji).
 */
import { stripVTControlCharacters } from 'node:util';
import { finalState } from '../process/text/line-assembler';
import { cutAtCodePoint } from '../process/text/code-point-cut';
import type { OutputStream } from '../process/types';

export class LastLine {
  /** The last complete non-blank line, raw (escape sequences still in). */
  private complete = '';
  private readonly partial: Record<OutputStream, string> = { stdout: '', stderr: '' };
  private latest: OutputStream = 'stdout';
  private shown: string | undefined;

  constructor(
    private readonly width: number,
    private readonly keep = Math.max(256, width * 4),
  ) {}

  push(stream: OutputStream, chunk: string): void {
    this.shown = undefined;
    this.latest = stream;
    const end = chunk.lastIndexOf('\n');
    if (end < 0) {
      this.partial[stream] = this.bounded(this.partial[stream] + chunk);
      return;
    }
    // The last non-blank complete line, searching back from the last newline.
    let stop = end;
    for (;;) {
      // lastIndexOf(x, -1) looks at index 0, so the start of the chunk is checked by hand.
      const start = stop === 0 ? -1 : chunk.lastIndexOf('\n', stop - 1);
      const piece = this.bounded(start < 0 ? this.partial[stream] + chunk.slice(0, stop) : chunk.slice(start + 1, stop));
      if (!isBlank(piece)) {
        this.complete = piece;
        break;
      }
      if (start < 0) break;
      stop = start;
    }
    this.partial[stream] = this.bounded(chunk.slice(end + 1));
  }

  /** The line to show: the unfinished line of the stream written last if it has text, else the last complete one. */
  text(): string {
    if (this.shown === undefined) {
      const partial = this.partial[this.latest];
      this.shown = clean(isBlank(partial) ? this.complete : partial, this.width);
    }
    return this.shown;
  }

  /** The final state of a (partial) line, trailing `\r`s kept (a `\n` may follow), cut to `keep` characters. */
  private bounded(text: string): string {
    if (!text.includes('\r')) return cutAtCodePoint(text, this.keep);
    const trailing = /\r*$/.exec(text)?.[0] ?? '';
    return cutAtCodePoint(finalState(text), this.keep) + trailing;
  }
}

function isBlank(text: string): boolean {
  return /^\s*$/.test(stripVTControlCharacters(finalState(text)));
}

/** Escape sequences and control characters removed, tabs as spaces, trimmed, at most `width` characters. */
function clean(text: string, width: number): string {
  const plain = stripVTControlCharacters(finalState(text))
    .replace(/\t/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f]/g, '')
    .trim();
  const chars = Array.from(plain);
  return chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}…` : plain;
}
