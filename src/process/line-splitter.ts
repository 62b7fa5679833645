/**
 * Turns chunks into whole lines, keeping a partial last line until its end arrives or `flush`.
 * Used where output is shown or logged line by line.
 */
export class LineSplitter {
  private partial = '';

  /** Returns the lines completed by `chunk`, without their `\n`. */
  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines;
  }

  /** Returns the unfinished last line, if any, and forgets it. */
  flush(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest ? [rest] : [];
  }
}
