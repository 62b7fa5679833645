/**
 * A winston transport appending each formatted entry to a file, and finishing only once every
 * entry is on disk.
 *
 * winston's own File transport writes through an in-between stream; when that stream is full it
 * holds an entry back until 'drain', but the batched write path (`_writev`) has already reported
 * the entries written, so ending the logger could close the file with entries still held back:
 * they were lost (seen here with large entries, one per chunk of output). This transport writes
 * every entry straight into the file stream, in order, and ends that stream in `_final`, after
 * the last entry.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import winston from 'winston';
import type TransportStreamClass from 'winston-transport';

// The base class of every winston transport (winston-transport, a dependency of winston), taken
// from winston itself, which exports it at run time.
const TransportStream = (winston as unknown as { Transport: typeof TransportStreamClass }).Transport;

/** Where logform keeps the formatted line. */
const MESSAGE = Symbol.for('message');

export class FileTransport extends TransportStream {
  private readonly file: WriteStream;
  private failed = false;

  constructor(filename: string) {
    super({});
    this.file = createWriteStream(filename, { flags: 'a', mode: 0o600 });
    this.file.on('error', (error) => {
      this.failed = true;
      this.emit('error', error);
    });
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    if (!this.failed) this.file.write(`${String(info[MESSAGE])}\n`);
    next();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.failed) {
      callback();
      return;
    }
    this.file.end(() => callback());
  }
}
