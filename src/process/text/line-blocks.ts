/**
 * The one line splitter under `LineSplitter` (one string per line), the process logs (one block
 * per chunk) and the Claude stream-json reader: the lines a chunk completes come back as one
 * string joined with `\n`. A partial last line waits for its end (or `flush`); one growing past
 * `maxLineLength` is handed out in pieces of that length, one UTF-16 unit shorter where the cut
 * would split a surrogate pair (no piece ends or starts inside a character). Only the new chunk
 * is searched for a line break and the partial line is kept as pieces, so a line of megabytes
 * costs one pass (a Claude result line). Logging 200 MB of 100-byte lines is a few thousand blocks, not two
 * million strings (`npm run bench`, scenario 6).
 */
import { codePointEnd } from './code-point-cut';

export class LineBlocks {
  private partial: string[] = [];
  private partialLength = 0;

  constructor(private readonly maxLineLength = 64 * 1024) {}

  /** The lines completed by `chunk`, joined with `\n` (without a final one); undefined when none. */
  push(chunk: string): string | undefined {
    const end = chunk.lastIndexOf('\n');
    let block: string | undefined;
    if (end >= 0) {
      block = this.take() + chunk.slice(0, end);
      chunk = chunk.slice(end + 1);
    }
    this.keep(chunk);
    while (this.partialLength > this.maxLineLength) {
      const rest = this.take();
      const end = codePointEnd(rest, this.maxLineLength);
      const piece = rest.slice(0, end);
      block = block === undefined ? piece : `${block}\n${piece}`;
      this.keep(rest.slice(end));
    }
    return block;
  }

  /** The unfinished last line, if any, and forgets it. */
  flush(): string | undefined {
    const rest = this.take();
    return rest ? rest : undefined;
  }

  private take(): string {
    const text = this.partial.length === 1 ? this.partial[0] : this.partial.join('');
    this.partial = [];
    this.partialLength = 0;
    return text;
  }

  private keep(text: string): void {
    if (text === '') return;
    this.partial.push(text);
    this.partialLength += text.length;
  }
}
