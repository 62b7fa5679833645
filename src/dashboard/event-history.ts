/**
 * The dashboard's stream position: every message it sends gets the next id (1, 2, 3, ...), one
 * sequence for the whole stream, whatever process (or none, for the orchestrator's events) it is
 * about. An event's own `seq` still numbers it within its process; the id orders the stream.
 *
 * The history keeps the most recent messages up to `maxChars` characters, so a client that
 * reconnects with `Last-Event-ID: <id>` gets exactly the messages after it (no loss, no
 * duplicate); when those are no longer held, `after()` says so (null) and the client is sent a
 * `resync` (it reloads the state instead).
 */
export interface HistoryEntry {
  readonly id: number;
  readonly text: string;
}

export class EventHistory {
  private entries: HistoryEntry[] = [];
  private head = 0;
  private chars = 0;
  private last = 0;

  constructor(private readonly maxChars: number) {}

  /** The id of the last message (0 before any). */
  get lastId(): number {
    return this.last;
  }

  /** Stores a message under the next id, which it returns; `text(id)` builds it. */
  add(text: (id: number) => string): HistoryEntry {
    const entry = { id: ++this.last, text: text(this.last) };
    this.entries.push(entry);
    this.chars += entry.text.length;
    while (this.chars > this.maxChars && this.head < this.entries.length - 1) {
      this.chars -= this.entries[this.head].text.length;
      this.head += 1;
    }
    // Dropped entries leave the array once they are half of it (amortised O(1); nothing dropped is kept long).
    if (this.head > 0 && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  /** The messages after `id`, oldest first; null when some of them are no longer held. */
  after(id: number): HistoryEntry[] | null {
    if (id >= this.last) return [];
    const oldest = this.entries[this.head]?.id ?? this.last + 1;
    if (id + 1 < oldest) return null;
    return this.entries.slice(this.head + (id + 1 - oldest));
  }
}
