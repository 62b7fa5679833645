/**
 * Backpressure from the places output goes (the terminal, log files) to the children that
 * produce it. A gate is open while every sink keeps up; a sink whose `write()` returned false
 * holds it closed until the sink drains. While the gate is closed, children's output is no
 * longer read, so a child that keeps writing blocks on its full pipe, as with `cmd | less`,
 * and the host's memory stays bounded.
 *
 * One gate is shared by every process that writes to the same sinks (a session, the CLI).
 */
import type { Writable } from 'node:stream';

export type GateListener = (open: boolean) => void;

export class OutputGate {
  private readonly holders = new Set<object>();
  private readonly listeners = new Set<GateListener>();

  /** True while no sink is full. */
  get open(): boolean {
    return this.holders.size === 0;
  }

  /** Closes the gate on behalf of `holder` (idempotent per holder). */
  hold(holder: object): void {
    const wasOpen = this.open;
    this.holders.add(holder);
    if (wasOpen) this.notify(false);
  }

  /** Lets go of `holder`'s hold; the gate opens once nobody holds it. */
  release(holder: object): void {
    if (!this.holders.delete(holder)) return;
    if (this.open) this.notify(true);
  }

  /** Calls `listener` with the new state each time the gate opens or closes; returns the unwatch. */
  watch(listener: GateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Writes `chunk` to `stream` and, when the stream reports it is full, holds the gate until the
   * stream drains (or closes or fails: a broken sink must never pause the children for good).
   */
  write(stream: Writable | NodeJS.WritableStream, chunk: string | Uint8Array): boolean {
    const ok = stream.write(chunk);
    if (!ok) this.holdUntilDrained(stream);
    return ok;
  }

  /** Holds the gate until `stream` emits 'drain', 'close' or 'error'. */
  holdUntilDrained(stream: Writable | NodeJS.WritableStream): void {
    if (this.holders.has(stream)) return;
    this.hold(stream);
    const done = (): void => {
      stream.removeListener('drain', done);
      stream.removeListener('close', done);
      stream.removeListener('error', done);
      this.release(stream);
    };
    stream.once('drain', done);
    stream.once('close', done);
    stream.once('error', done);
  }

  private notify(open: boolean): void {
    for (const listener of [...this.listeners]) listener(open);
  }
}
