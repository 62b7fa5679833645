/**
 * `LineSplitter` for logs that take a whole block at a time: the lines a chunk completes come
 * back as one string, joined with `\n`, instead of one string per line. Same rules and the same
 * lines: a partial last line waits for its end (or `flush`), and one growing past
 * `maxLineLength` is handed out in pieces of that length. Logging 200 MB of 100-byte lines is
 * then a few thousand strings, not two million (`npm run bench`, scenario 6).
 */
export class LineBlocks {
  private partial = '';

  constructor(private readonly maxLineLength = 64 * 1024) {}

  /** The lines completed by `chunk`, joined with `\n` (without a final one); undefined when none. */
  push(chunk: string): string | undefined {
    const text = this.partial + chunk;
    const end = text.lastIndexOf('\n');
    let block = end < 0 ? undefined : text.slice(0, end);
    let rest = end < 0 ? text : text.slice(end + 1);
    while (rest.length > this.maxLineLength) {
      const piece = rest.slice(0, this.maxLineLength);
      block = block === undefined ? piece : `${block}\n${piece}`;
      rest = rest.slice(this.maxLineLength);
    }
    this.partial = rest;
    return block;
  }

  /** The unfinished last line, if any, and forgets it. */
  flush(): string | undefined {
    const rest = this.partial;
    this.partial = '';
    return rest ? rest : undefined;
  }
}
