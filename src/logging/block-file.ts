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
import { markLines } from '../process/text/byte-lines';
import type { Redactor } from './redact';

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
  private waiting: Piece[] = [];
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
    this.add(text, text.length);
  }

  /**
   * Appends output as log lines: `text` redacted with `redact` (when it may hold a secret), then
   * each of its lines after `prefix` (see process/text/byte-lines.ts; a line longer than `MAX_LOG_LINE` bytes
   * in pieces). The work is done when the block is written, on the UTF-8 bytes.
   */
  appendLines(text: string, prefix: string, redact: Redactor): void {
    if (text !== '') this.add({ text, prefix, redact }, text.length);
  }

  private add(piece: Piece, chars: number): void {
    if (this.failed || this.closing) return;
    this.waiting.push(piece);
    this.waitingChars += chars;
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
      const block = this.waitingChars === 0 ? undefined : encodeBlock(this.waiting, this.waitingChars);
      this.waiting = [];
      this.waitingChars = 0;
      try {
        if (block) for (const buffer of block.buffers) writeAll(fd, buffer);
      } catch (error) {
        this.fail(error as Error);
      }
      if (block) releaseBlock(block);
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
    const block = encodeBlock(this.waiting, this.waitingChars);
    this.waiting = [];
    this.waitingChars = 0;
    this.writing = true;
    this.writeFrom(block, 0);
  }

  /** Writes `block` from `offset` (a write may take less than asked), then goes on with what waits. */
  private writeFrom(block: Block, offset: number): void {
    const done = (error: NodeJS.ErrnoException | null, written: number): void => {
      if (!error && offset + written < block.length) return this.writeFrom(block, offset + written);
      if (error) this.fail(error);
      releaseBlock(block);
      this.written();
    };
    if (block.length === 0) return done(null, 0);
    if (offset === 0 && block.buffers.length > 1) return writev(this.fd as number, block.buffers, null, done);
    // One buffer, or the rest after a short write (rare): from the buffer holding `offset` on.
    let skip = offset;
    let index = 0;
    while (skip >= block.buffers[index].length) skip -= block.buffers[index++].length;
    const buffer = block.buffers[index];
    write(this.fd as number, buffer, skip, buffer.length - skip, null, (error, written) => done(error, written));
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

/** Output waiting to be logged as lines (`appendLines`). */
interface OutputLines {
  readonly text: string;
  readonly prefix: string;
  readonly redact: Redactor;
}

/** What waits: a text written as it is, or output to mark. */
type Piece = string | OutputLines;

/** Longest log line of output, in bytes: a longer line is logged in pieces (cut between characters). */
export const MAX_LOG_LINE = 64 * 1024;

/**
 * Encoding blocks without a fresh allocation each: `Buffer.from` of every block allocated memory
 * outside the heap for each write (and the garbage collections that memory pressure brings),
 * several times the cost of the encoding itself (the bench's logging scenario, issue 12). A block
 * of at least `SMALL_CHARS` characters is encoded into buffers taken from a small shared pool, a
 * new one when the last is full (never copied into a larger one), and given back once written; a
 * small one (a short run's few lines) into one buffer of its own, so that hundreds of files
 * writing a few lines each never hold a pooled buffer.
 */
interface Block {
  /** Filled buffers, written with one writev(2). */
  readonly buffers: Buffer[];
  /** Bytes in all. */
  readonly length: number;
  /** True when the buffers go back to the pool once written (those of pool size). */
  readonly pooled: boolean;
}

/** Below this many characters a block is encoded into a buffer of its own. */
const SMALL_CHARS = 16 * 1024;
/** Size of a pooled buffer. */
const POOLED_BYTES = 1024 * 1024;
/** Pooled buffers kept while unused. */
const MAX_SPARE = 8;
const spare: Buffer[] = [];

/** Output text's UTF-8 bytes, before they are marked: one buffer, reused (encoding is synchronous). */
let scratch = Buffer.allocUnsafe(0);
/** Scratch space kept between blocks; a larger one is let go after its block. */
const MAX_SCRATCH = 4 * 1024 * 1024;

/** A block being filled: a list of buffers, the last one being written to. */
class BlockWriter {
  private readonly full: Buffer[] = [];
  private buffer: Buffer;
  private used = 0;
  private bytes = 0;
  private readonly pooled: boolean;

  constructor(chars: number) {
    this.pooled = chars >= SMALL_CHARS;
    this.buffer = this.pooled ? take(POOLED_BYTES) : Buffer.allocUnsafe(chars * 2 + 256);
  }

  /** Makes room for `bytes` more: the buffer filled so far is kept, the rest goes to a new one. */
  private room(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    if (this.used > 0) this.full.push(this.buffer.subarray(0, this.used));
    else if (this.pooled) give(this.buffer);
    this.buffer = this.pooled ? take(Math.max(POOLED_BYTES, bytes)) : Buffer.allocUnsafe(Math.max(bytes, 16 * 1024));
    this.used = 0;
  }

  text(text: string): void {
    // A UTF-16 unit takes at most 3 bytes: within that bound the size need not be counted first.
    if (this.used + text.length * 3 > this.buffer.length) this.room(Buffer.byteLength(text));
    const written = this.buffer.write(text, this.used);
    this.used += written;
    this.bytes += written;
  }

  lines({ text, prefix, redact }: OutputLines): void {
    let size = encodeScratch(text);
    if (mayHoldSecret(size, redact)) {
      const redacted = redact(text);
      if (redacted !== text) size = encodeScratch(redacted);
    }
    const prefixBytes = prefixOf(prefix);
    let written = markLines(scratch, size, prefixBytes, this.buffer, this.used, MAX_LOG_LINE);
    if (written < 0) {
      this.room(-written);
      written = markLines(scratch, size, prefixBytes, this.buffer, this.used, MAX_LOG_LINE);
    }
    this.used += written;
    this.bytes += written;
  }

  done(): Block {
    if (this.used > 0) this.full.push(this.buffer.subarray(0, this.used));
    else if (this.pooled) give(this.buffer);
    return { buffers: this.full, length: this.bytes, pooled: this.pooled };
  }
}

/** A pooled buffer (of at least `bytes`; pool-sized ones are reused). */
function take(bytes: number): Buffer {
  return bytes <= POOLED_BYTES ? spare.pop() ?? Buffer.allocUnsafe(POOLED_BYTES) : Buffer.allocUnsafe(bytes);
}

/** Gives a buffer back to the pool (views of it: the whole buffer behind them). */
function give(buffer: Buffer): void {
  if (buffer.buffer.byteLength !== POOLED_BYTES || spare.length >= MAX_SPARE) return;
  spare.push(Buffer.from(buffer.buffer, buffer.byteOffset - (buffer.byteOffset % POOLED_BYTES), POOLED_BYTES));
}

/** Encodes `text` into `scratch` (grown when needed); returns its size in bytes. */
function encodeScratch(text: string): number {
  if (text.length * 3 > scratch.length) {
    const size = Buffer.byteLength(text);
    if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, 64 * 1024));
  }
  return scratch.write(text);
}

/** Prefixes change once a millisecond: the last one encoded is kept. */
let lastPrefix = '';
let lastPrefixBytes = Buffer.alloc(0);
function prefixOf(prefix: string): Buffer {
  if (prefix !== lastPrefix) {
    lastPrefix = prefix;
    lastPrefixBytes = Buffer.from(prefix);
  }
  return lastPrefixBytes;
}

/** The redactors' triggers as UTF-8 bytes (a redactor without them redacts every text). */
const triggerBytes = new WeakMap<Redactor, Buffer[][]>();

/**
 * Whether the `size` bytes in `scratch` may hold something `redact` changes: some group of its
 * triggers all present (a byte search, many times faster than the redactor's search over text).
 */
function mayHoldSecret(size: number, redact: Redactor): boolean {
  if (!redact.triggers) return true;
  let groups = triggerBytes.get(redact);
  if (!groups) {
    groups = redact.triggers.map((group) => group.map((needle) => Buffer.from(needle)));
    triggerBytes.set(redact, groups);
  }
  const bytes = scratch.subarray(0, size);
  return groups.some((group) => group.every((needle) => bytes.indexOf(needle) >= 0));
}

/** The pieces, encoded one after the other, as one block. */
function encodeBlock(pieces: readonly Piece[], chars: number): Block {
  const writer = new BlockWriter(chars);
  for (const piece of pieces) {
    if (typeof piece === 'string') writer.text(piece);
    else writer.lines(piece);
  }
  if (scratch.length > MAX_SCRATCH) scratch = Buffer.allocUnsafe(0);
  return writer.done();
}

function releaseBlock(block: Block): void {
  if (block.pooled) for (const buffer of block.buffers) give(buffer);
}
