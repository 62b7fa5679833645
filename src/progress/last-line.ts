/**
 * The last line a process wrote, for a status display (not exported): one `LineEngine` per
 * stream in 'cr' mode (a progress bar shows its latest state), each holding at most `keep` UTF-16
 * units of an unfinished line. Each chunk costs the engine's pass plus a backward search from its
 * last line end: only the last non-blank line is looked at, kept to `keep` units, cut between
 * characters (never inside an emoji).
 */
import { stripVTControlCharacters } from 'node:util';
import { cutAtCodePoint } from '../process/text/code-point-cut';
import { lastNonBlankLine } from '../process/text/last-non-blank-line';
import { LineEngine } from '../process/text/line-engine';
import type { OutputStream } from '../process/types';

export class LastLine {
  /** The last complete non-blank line, raw (escape sequences still in). */
  private complete = '';
  private readonly engines: Record<OutputStream, LineEngine>;
  private latest: OutputStream = 'stdout';
  private shown: string | undefined;

  constructor(
    private readonly width: number,
    private readonly keep = Math.max(256, width * 4),
  ) {
    const options = { mode: 'cr', maxLineLength: keep, overflow: 'truncate' } as const;
    this.engines = { stdout: new LineEngine(options), stderr: new LineEngine(options) };
  }

  push(stream: OutputStream, chunk: string): void {
    this.shown = undefined;
    this.latest = stream;
    const block = this.engines[stream].pushBlock(chunk);
    if (block === undefined) return;
    const line = lastNonBlankLine(block, (text) => isBlank(cutAtCodePoint(text, this.keep)));
    if (line !== '') this.complete = cutAtCodePoint(line, this.keep);
  }

  /** The line to show: the unfinished line of the stream written last if it has text, else the last complete one. */
  text(): string {
    if (this.shown === undefined) {
      const partial = this.engines[this.latest].partial();
      this.shown = clean(isBlank(partial) ? this.complete : partial, this.width);
    }
    return this.shown;
  }
}

function isBlank(text: string): boolean {
  return /^\s*$/.test(stripVTControlCharacters(text));
}

/** Escape sequences and control characters removed, tabs as spaces, trimmed, at most `width` characters. */
function clean(text: string, width: number): string {
  const plain = stripVTControlCharacters(text)
    .replace(/\t/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f]/g, '')
    .trim();
  const chars = Array.from(plain);
  return chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}…` : plain;
}
