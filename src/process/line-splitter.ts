/**
 * Turns chunks into whole lines, keeping a partial last line until its end arrives or `flush`.
 * A line longer than `maxLineLength` is handed out in pieces of that length, so a stream without
 * newlines never piles up in memory.
 *
 * @example
 * ```ts
 * import { LineSplitter } from 'rx-orchestration';
 * const lines = new LineSplitter();
 * lines.push('one\ntw'); // ['one']
 * lines.push('o\n');     // ['two']
 * ```
 */
export class LineSplitter {
  private partial = '';

  constructor(private readonly maxLineLength = 64 * 1024) {}

  /** Returns the lines completed by `chunk`, without their `\n`. */
  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    let rest = lines.pop() ?? '';
    while (rest.length > this.maxLineLength) {
      lines.push(rest.slice(0, this.maxLineLength));
      rest = rest.slice(this.maxLineLength);
    }
    this.partial = rest;
    return lines;
  }

  /** Returns the unfinished last line, if any, and forgets it. */
  flush(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest ? [rest] : [];
  }
}
