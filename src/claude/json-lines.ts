/**
 * Whole lines from chunks, for JSON lines that may be megabytes long: a chunk without a line
 * break is only kept, never re-scanned, so a 3 MB line costs one pass (a reader that falls behind
 * makes the CLI wait on a full pipe, and the CLI can lose what is still unwritten when it exits).
 */
export class JsonLines {
  private pending: string[] = [];
  private pendingLength = 0;

  /** `maxLineLength`: past it, a line is handed out in pieces (it cannot be JSON the caller keeps whole). */
  constructor(private readonly maxLineLength: number) {}

  /** The lines `chunk` completes, without their `\n`. */
  push(chunk: string): string[] {
    const end = chunk.lastIndexOf('\n');
    if (end < 0) {
      this.keep(chunk);
      return this.pendingLength > this.maxLineLength ? this.flush() : [];
    }
    const text = this.pending.join('') + chunk.slice(0, end);
    this.pending = [];
    this.pendingLength = 0;
    this.keep(chunk.slice(end + 1));
    return text.split('\n');
  }

  /** The unfinished last line, if any. */
  flush(): string[] {
    const rest = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    return rest ? [rest] : [];
  }

  private keep(text: string): void {
    if (text === '') return;
    this.pending.push(text);
    this.pendingLength += text.length;
  }
}
