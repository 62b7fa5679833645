/**
 * One browser on the event stream. Messages are written to its response at once; while the
 * socket cannot take them (a stalled or slow page), Node buffers them, and once more than
 * `maxQueuedBytes` wait, nothing more is written: when the socket drains, the client gets one
 * `resync` message and the stream ends (the page then reloads the state and reconnects). So a
 * client that stops reading costs at most about `maxQueuedBytes`, never the whole run.
 */
import type { ServerResponse } from 'node:http';

/** The message that tells a page it missed events: reload the state. */
export const RESYNC_MESSAGE = 'event: resync\ndata: {}\n\n';

export class SseClient {
  private stalled = false;
  private closed = false;
  private corked = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly maxQueuedBytes: number,
    private readonly onClose: (client: SseClient) => void,
  ) {
    response.on('close', () => this.close());
  }

  /** Whether it fell behind and waits to be told to resync. */
  get behind(): boolean {
    return this.stalled;
  }

  /** Bytes written but not yet taken by the socket. */
  get pendingBytes(): number {
    return this.response.writableLength;
  }

  send(text: string): void {
    if (this.closed || this.stalled) return;
    // The messages of one tick go out in one write (corked until the next tick).
    if (!this.corked) {
      this.corked = true;
      this.response.cork();
      process.nextTick(() => {
        this.corked = false;
        this.response.uncork();
      });
    }
    this.response.write(text);
    if (this.response.writableLength > this.maxQueuedBytes) {
      this.stalled = true;
      this.response.once('drain', () => this.end(RESYNC_MESSAGE));
    }
  }

  /** Sends a last message (if any) and ends the stream. */
  end(text = ''): void {
    if (this.closed) return;
    this.response.end(text);
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
  }
}
