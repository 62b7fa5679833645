/**
 * A winston transport appending each formatted entry to an already opened file, finishing only
 * once every entry is on disk, reporting a write error once, and honouring backpressure.
 *
 * winston's own File transport writes through an in-between stream; when that stream is full it
 * holds an entry back until 'drain', but the batched write path (`_writev`) has already reported
 * the entries written, so ending the logger could close the file with entries still held back:
 * they were lost (seen here with large entries, one per chunk of output). This transport writes
 * every entry straight into the file stream, in order, and ends that stream in `_final`, after
 * the last entry.
 *
 * The file is opened by the caller (see LogDirectory: never through a symlink). When the file
 * stream is over its highWaterMark, the transport holds the `OutputGate` until it drains, so the
 * children writing the output are paused instead of the host buffering without bound. The first
 * write error (ENOSPC, EIO, ...) ends the file: it is reported once to `onError`, as a
 * `LogWriteError` naming the file, and later entries are dropped.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import winston from 'winston';
import type TransportStreamClass from 'winston-transport';
import { defaults } from '../defaults';
import { LogWriteError } from '../errors';
import type { OutputGate } from '../process/buffer/output-gate';

// The base class of every winston transport (winston-transport, a dependency of winston), taken
// from winston itself, which exports it at run time.
const TransportStream = (winston as unknown as { Transport: typeof TransportStreamClass }).Transport;

/** Where logform keeps the formatted line. */
const MESSAGE = Symbol.for('message');

export interface FileTransportOptions {
  /** An open, append-mode file descriptor; the transport owns it and closes it at the end. */
  readonly fd: number;
  /** The file's path, for error messages. */
  readonly path: string;
  /** Held closed while the file stream is full. @default none */
  readonly gate?: OutputGate;
  /** Called once, with the first write error. @default ignored */
  readonly onError?: (error: LogWriteError) => void;
}

export class FileTransport extends TransportStream {
  private readonly file: WriteStream;
  private failed = false;

  constructor(private readonly options: FileTransportOptions) {
    super({});
    this.file = createWriteStream(options.path, { fd: options.fd, flags: 'a', highWaterMark: defaults.logHighWaterMark });
    this.file.on('error', (error) => this.fail(error));
  }

  /** Reports the first error (once) and drops every later entry. */
  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.options.onError?.(new LogWriteError(this.options.path, error));
  }

  /** True once a write failed: the file lacks entries from then on. */
  get incomplete(): boolean {
    return this.failed;
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    if (!this.failed) {
      const line = `${String(info[MESSAGE])}\n`;
      if (this.options.gate) this.options.gate.write(this.file, line);
      else this.file.write(line);
    }
    next();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.failed || this.file.destroyed) {
      callback();
      return;
    }
    // end's callback also runs when the last writes fail: report it before the log counts as closed.
    this.file.end((error?: Error | null) => {
      if (error) this.fail(error);
      callback();
    });
  }
}
