import { LineBlocks } from './line-blocks';

/**
 * Turns chunks into whole lines, keeping a partial last line until its end arrives or `flush`.
 * A line longer than `maxLineLength` is handed out in pieces of that length (one UTF-16 unit
 * shorter where the cut would split an emoji or another astral character, which stays whole),
 * so a stream without newlines never piles up in memory.
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
  private readonly blocks: LineBlocks;

  constructor(maxLineLength = 64 * 1024) {
    this.blocks = new LineBlocks(maxLineLength);
  }

  /** Returns the lines completed by `chunk`, without their `\n`. */
  push(chunk: string): string[] {
    return this.blocks.push(chunk)?.split('\n') ?? [];
  }

  /** Returns the unfinished last line, if any, and forgets it. */
  flush(): string[] {
    const rest = this.blocks.flush();
    return rest === undefined ? [] : [rest];
  }
}
