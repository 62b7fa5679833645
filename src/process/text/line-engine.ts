/**
 * The one line engine: whole lines from chunks of text, for every reader of output (the `lines()`
 * filter, mirroring, the CLI's live lines, the Claude stream-json reader, the progress `lastLine`).
 *
 * - `mode: 'lf'`: `\n` ends a line; a `\r` is text like any other.
 * - `mode: 'cr'`: what a terminal shows. `\r\n` ends a line too, and a lone `\r` rewinds the line
 *   as progress bars use it: the line becomes the text after its last `\r` (empty pieces ignored,
 *   so `text\r` then `\n` is still `text`). Only the final state of a rewritten line is handed
 *   out; earlier states are dropped at once, so a bar redrawn for hours holds one state in memory.
 * - `maxLineLength` bounds what the engine holds of an unfinished line, in UTF-16 units, cut
 *   between characters (never inside an emoji). Past it, `overflow: 'split'` hands the line out in
 *   pieces of that length; `overflow: 'truncate'` keeps its start and drops the rest until the
 *   line ends or is rewound. Lines a chunk carries whole are handed out as they are.
 *
 * Only the new chunk is searched for line ends and the unfinished line is held as pieces, so a
 * line of megabytes costs one pass (a Claude result line); `pushBlock` hands the lines a chunk
 * completes out as one string, so logging 200 MB of 100-byte lines is a few thousand blocks, not
 * two million strings (`npm run bench`, scenario 6).
 *
 * @example
 * ```ts
 * import { LineEngine } from 'rx-orchestration/toolkit';
 * const lines = new LineEngine({ mode: 'cr' });
 * lines.push('one\ntw'); // ['one']
 * lines.push('o 10%\rtwo 99%\r\n'); // ['two 99%']
 * ```
 */
import { defaults } from '../../defaults';
import { codePointEnd, cutAtCodePoint } from './code-point-cut';

export type LineMode = 'lf' | 'cr';

export interface LineEngineOptions {
  /** `'lf'`: `\n` ends a line. `'cr'`: a terminal's view, `\r\n` ends a line and a lone `\r` rewinds it. @default 'lf' */
  readonly mode?: LineMode;
  /** UTF-16 units of an unfinished line the engine holds. @default 65536 */
  readonly maxLineLength?: number;
  /** Past `maxLineLength`: hand the line out in pieces (`'split'`) or keep only its start (`'truncate'`). @default 'split' */
  readonly overflow?: 'split' | 'truncate';
}

export class LineEngine {
  private readonly cr: boolean;
  private readonly max: number;
  private readonly split: boolean;
  /** The unfinished line (its current state in 'cr' mode), in pieces. */
  private pieces: string[] = [];
  private length = 0;
  /** 'cr' mode: a `\r` came after the current state; the next text replaces it. */
  private rewound = false;
  /** 'truncate': the line reached `maxLineLength`; its further text is dropped. */
  private full = false;

  constructor(options: LineEngineOptions = {}) {
    this.cr = options.mode === 'cr';
    this.max = Math.max(1, options.maxLineLength ?? defaults.maxLineLength);
    this.split = options.overflow !== 'truncate';
  }

  /** The lines `chunk` completes, without their line ends. */
  push(chunk: string): string[] {
    return this.pushBlock(chunk)?.split('\n') ?? [];
  }

  /** The lines `chunk` completes joined with `\n` (no final one), or undefined when none. */
  pushBlock(chunk: string): string | undefined {
    const end = chunk.lastIndexOf('\n');
    const out: string[] = [];
    if (end >= 0) {
      let whole = chunk.slice(0, end);
      // 'cr' mode: `\r\n` is a plain line end (one native replace); another `\r` rewinds its line.
      if (this.cr && whole.includes('\r')) whole = whole.replaceAll('\r\n', '\n');
      if (this.cr && whole.includes('\r')) {
        for (const line of whole.split('\n')) out.push(this.endLine(line));
      } else {
        const first = whole.indexOf('\n');
        out.push(first < 0 ? this.endLine(whole) : this.endLine(whole.slice(0, first)) + whole.slice(first));
      }
      chunk = chunk.slice(end + 1);
    }
    this.append(chunk, out);
    return out.length === 0 ? undefined : out.join('\n');
  }

  /** The unfinished line, if it has any text, and forgets it. */
  flush(): string[] {
    const rest = this.take();
    return rest ? [rest] : [];
  }

  /** The unfinished line as it stands (its current state in 'cr' mode), kept. */
  partial(): string {
    return this.join();
  }

  /** The unfinished line completed by `text` (no line end in it), whole, and forgets it. */
  private endLine(text: string): string {
    if (!this.cr || (!this.rewound && !text.includes('\r'))) return this.full ? this.take() : this.take() + text;
    let rewound = this.rewound;
    let full = this.full;
    let line = this.take();
    text.split('\r').forEach((state, i) => {
      if (i > 0) rewound = true;
      if (state === '') return;
      if (rewound) line = state;
      else if (!full) line += state;
      rewound = false;
      full = false;
    });
    return line;
  }

  /** Adds text holding no `\n` to the unfinished line; pieces past `maxLineLength` go to `out` ('split'). */
  private append(text: string, out: string[]): void {
    if (text === '') return;
    if (!this.cr || !text.includes('\r')) {
      if (this.rewound) this.restart();
      this.keep(text, out);
      return;
    }
    const states = text.split('\r');
    states.forEach((state, i) => {
      if (i > 0) this.rewound = true;
      if (state === '') return;
      if (this.rewound) this.restart();
      this.keep(state, out);
    });
  }

  private keep(text: string, out: string[]): void {
    if (!this.split) {
      if (this.full) return;
      const room = this.max - this.length;
      if (text.length >= room) {
        text = cutAtCodePoint(text, room);
        this.full = true;
      }
      if (text !== '') this.hold(text);
      return;
    }
    this.hold(text);
    while (this.length > this.max) {
      const rest = this.join();
      const end = codePointEnd(rest, this.max);
      out.push(rest.slice(0, end));
      this.pieces = [];
      this.length = 0;
      this.hold(rest.slice(end));
    }
  }

  private hold(text: string): void {
    if (text === '') return;
    this.pieces.push(text);
    this.length += text.length;
  }

  private join(): string {
    return this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('');
  }

  /** A rewind: the text that follows replaces the line's state. */
  private restart(): void {
    this.pieces = [];
    this.length = 0;
    this.rewound = false;
    this.full = false;
  }

  /** The unfinished line as a whole, and forgets it. */
  private take(): string {
    const text = this.join();
    this.restart();
    return text;
  }
}
