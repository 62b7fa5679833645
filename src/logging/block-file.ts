/**
 * A process log's file: lines appended in memory and written in blocks, straight to the
 * descriptor the caller opened (see LogDirectory: 0600, never through a symlink). No stream, no
 * logger object per process: a short run's whole log is one `write(2)` and one `close(2)`, made
 * at `close` on the main thread (the open went through the thread pool).
 *
 * A block goes to the disk once `logBlockChars` characters wait, or `logFlushDelayMs` after the
 * first waiting line, or at `close`; one write at a time, in order. Once `logHighWaterMark`
 * characters are waiting or being written, the `OutputGate` is held closed until everything is
 * written (a stream's highWaterMark and 'drain'), so the children writing the output pause
 * instead of the host buffering without bound. The first
 * write error (ENOSPC, EIO, ...) is reported once, as a `LogWriteError` naming the file; later
 * lines are dropped. `close` resolves once every line is on disk (or the file failed) and the
 * descriptor is closed.
 */
import { close as closeFd, closeSync, write, writev } from 'node:fs';
import { defaults } from '../defaults';
import { LogWriteError } from '../errors';
import type { OutputGate } from '../process/buffer/output-gate';
import { writeAll } from './log-directory';

export interface BlockFileOptions {
  /**
   * An open, append-mode file descriptor, or the Promise of one (an open under way in the thread
   * pool: lines wait in memory meanwhile; a rejection is the file's write error). The writer owns
   * it and closes it at the end.
   */
  readonly fd: number | Promise<number>;
  /** The file's path, for error messages. */
  readonly path: string;
  /** Held closed while too much waits for the disk. @default none */
  readonly gate?: OutputGate;
  /** Called once, with the first write error. @default ignored */
  readonly onError?: (error: LogWriteError) => void;
}

export class BlockFile {
  private waiting: string[] = [];
  private waitingChars = 0;
  private writing = false;
  /** Characters of the write under way. */
  private inFlight = 0;
  /** True while this file holds the gate closed. */
  private holding = false;
  private failed = false;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private onIdle: (() => void) | undefined;
  private fd: number | undefined;

  constructor(private readonly options: BlockFileOptions) {
    if (typeof options.fd === 'number') {
      this.fd = options.fd;
      return;
    }
    // Until the file is open, the open counts as the write under way.
    this.writing = true;
    options.fd.then(
      (fd) => {
        this.fd = fd;
        this.written();
      },
      (error: unknown) => {
        this.fail(error instanceof LogWriteError ? error : new LogWriteError(options.path, error));
        this.written();
      },
    );
  }

  /** True once a write failed: the file lacks lines from then on. */
  get incomplete(): boolean {
    return this.failed;
  }

  /** Appends `text` (whole lines, each ending with `\n`). */
  append(text: string): void {
    if (this.failed || this.closing) return;
    this.waiting.push(text);
    this.waitingChars += text.length;
    // Like a stream's highWaterMark: what waits plus what is being written.
    if (!this.holding && this.waitingChars + this.inFlight >= defaults.logHighWaterMark && this.options.gate) {
      this.holding = true;
      this.options.gate.hold(this);
    }
    if (this.writing) return;
    if (this.waitingChars >= defaults.logBlockChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), defaults.logFlushDelayMs);
  }

  /**
   * Writes what waits, then closes the descriptor; resolves once both are done. The last block,
   * when no write is under way, is written and closed at once, without two more round trips
   * through the thread pool: at most `logBlockChars` characters, to the page cache.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    if (!this.writing && this.fd !== undefined && !this.failed) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      const fd = this.fd;
      const text = this.waiting.join('');
      this.waiting = [];
      this.waitingChars = 0;
      try {
        if (text !== '') writeAll(fd, text);
      } catch (error) {
        this.fail(error as Error);
      }
      try {
        closeSync(fd);
      } catch (error) {
        this.fail(error as Error);
      }
      this.letGo();
      this.closing = Promise.resolve();
      return this.closing;
    }
    this.closing = new Promise<void>((resolveClose) => {
      const finish = (): void => {
        if (this.fd === undefined) return resolveClose();
        closeFd(this.fd, (error) => {
          if (error) this.fail(error);
          resolveClose();
        });
      };
      this.onIdle = finish;
      if (!this.writing) this.flush();
    });
    return this.closing;
  }

  /** Starts one write of everything waiting; when nothing waits and the file is closing, closes it. */
  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.failed || this.waitingChars === 0) {
      // Drained (or failed): like a stream's 'drain', the gate opens once nothing is left.
      this.waiting = [];
      this.waitingChars = 0;
      this.letGo();
      this.onIdle?.();
      return;
    }
    this.inFlight = this.waitingChars;
    // Each piece encoded on its own and written with one writev(2): joining them first would copy
    // every character once more.
    const pieces = this.waiting.map((text) => Buffer.from(text));
    this.waiting = [];
    this.waitingChars = 0;
    this.writing = true;
    if (pieces.length === 1) return this.writeFrom(pieces[0], 0);
    const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
    writev(this.fd as number, pieces, null, (error, written) => {
      if (error) this.fail(error);
      // A short write (rare): the rest as one buffer.
      else if (written < total) return this.writeFrom(Buffer.concat(pieces).subarray(written), 0);
      this.written();
    });
  }

  /** Writes `data` from `offset` (a write may take less than asked), then goes on with what waits. */
  private writeFrom(data: Buffer, offset: number): void {
    write(this.fd as number, data, offset, data.length - offset, null, (error, written) => {
      if (error) this.fail(error);
      else if (offset + written < data.length) return this.writeFrom(data, offset + written);
      this.written();
    });
  }

  /** A write (or the open) is done: goes on with what waits. */
  private written(): void {
    this.writing = false;
    this.inFlight = 0;
    // Holding the gate: no waiting for a full block, the children are paused until this drains.
    if (this.closing || this.failed || this.holding || this.waitingChars >= defaults.logBlockChars) this.flush();
    else if (this.waitingChars > 0) this.timer ??= setTimeout(() => this.flush(), defaults.logFlushDelayMs);
  }

  /** Lets go of the gate, if this file holds it. */
  private letGo(): void {
    if (!this.holding) return;
    this.holding = false;
    this.options.gate?.release(this);
  }

  /** Reports the first error (once) and drops every later line. */
  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.options.onError?.(error instanceof LogWriteError ? error : new LogWriteError(this.options.path, error));
  }
}
