/**
 * Shared core of the output filters (not exported): whole lines from chunks, per key, with the
 * line endings terminals use.
 *
 * - `\n` ends a line; `\r\n` is the same line end.
 * - A lone `\r` rewinds the line, as progress bars use it: the line becomes the text after its
 *   last `\r` (empty pieces ignored, so `text\r` then `\n` is still `text`). Only the final state
 *   of a rewritten line is handed out; the states before it are dropped, also while the line is
 *   still partial, so a bar redrawn for hours holds one state in memory.
 * - A line longer than `maxLineLength` is handed out in pieces of that length, one UTF-16 unit
 *   shorter where the cut would split a surrogate pair (an emoji is never cut in two).
 */
import { codePointEnd } from './code-point-cut';

export class LineAssembler {
  private partial = '';
  /** When the last chunk arrived (the caller's clock); stamps the line a flush hands out. */
  lastAt = 0;

  constructor(private readonly maxLineLength = 64 * 1024) {}

  /** The lines `chunk` completes, without their line ends. */
  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const pieces = text.split('\n');
    let rest = pieces.pop() ?? '';
    const lines = pieces.map(finalState);
    if (chunk.includes('\r')) rest = dropRewrittenStates(rest);
    while (rest.length > this.maxLineLength) {
      const end = codePointEnd(rest, this.maxLineLength);
      lines.push(finalState(rest.slice(0, end)));
      rest = rest.slice(end);
    }
    this.partial = rest;
    return lines;
  }

  /** Hands out the unfinished last line, if it has any text, and forgets it. */
  flush(): string[] {
    const rest = finalState(this.partial);
    this.partial = '';
    return rest ? [rest] : [];
  }
}

/** The text after the last `\r` that is followed by something: what a terminal would keep. */
export function finalState(line: string): string {
  if (!line.includes('\r')) return line;
  const pieces = line.split('\r');
  for (let i = pieces.length - 1; i >= 0; i -= 1) if (pieces[i] !== '') return pieces[i];
  return '';
}

/** Drops the states of a partial line before its last non-empty `\r` piece, keeping trailing `\r`s. */
function dropRewrittenStates(rest: string): string {
  let end = rest.length;
  while (end > 0 && rest[end - 1] === '\r') end -= 1;
  const start = rest.lastIndexOf('\r', end - 1);
  return start < 0 ? rest : rest.slice(start + 1);
}

/** Keeps one `LineAssembler` per process and stream. */
export class LineAssemblers {
  private readonly byKey = new Map<string, LineAssembler>();

  get(processId: string, stream: string): LineAssembler {
    const key = `${stream}\0${processId}`;
    let found = this.byKey.get(key);
    if (!found) this.byKey.set(key, (found = new LineAssembler()));
    return found;
  }

  /** Removes and returns the assembler of a process's stream, if any. */
  take(processId: string, stream: string): LineAssembler | undefined {
    const key = `${stream}\0${processId}`;
    const found = this.byKey.get(key);
    this.byKey.delete(key);
    return found;
  }

  /** Every remaining assembler with its process id and stream, and forgets them all. */
  takeAll(): Array<{ processId: string; stream: string; assembler: LineAssembler }> {
    const all = [...this.byKey].map(([key, assembler]) => {
      const at = key.indexOf('\0');
      return { stream: key.slice(0, at), processId: key.slice(at + 1), assembler };
    });
    this.byKey.clear();
    return all;
  }
}
