/**
 * The server side of one run on the page: events in (redacted here, before anything keeps or
 * sends them), the state, the history and the connected clients. A live run pushes events as they
 * come; a replayed session pushes its rebuilt events at once.
 *
 * On the stream, results carry no `output`/`stderr` (the page has the output through the
 * `output` events and the ring), and a summary's error is its message.
 */
import { redactDeep, EventRedactor } from '../logging/redact-events';
import type { Redactor } from '../logging/redact';
import type { ServerResponse } from 'node:http';
import type { ProcessEvent, ProcessResult } from '../process/types';
import { PROTOCOL_VERSION } from '../events/types';
import type { DashboardEvent } from './dashboard-events';
import { DashboardState } from './dashboard-state';
import { EventHistory } from './event-history';
import { RESYNC_MESSAGE, SseClient } from './sse-client';

export interface FeedLimits {
  readonly outputPerProcess: number;
  readonly historyChars: number;
  readonly clientQueueBytes: number;
}

const PROCESS_TYPES = new Set(['start', 'output', 'result', 'agent']);

const withoutOutput = (result: ProcessResult): ProcessResult => ({ ...result, output: '', stderr: '' });

/** The event as the stream carries it (see the file comment). */
function onTheWire(event: DashboardEvent): DashboardEvent {
  switch (event.type) {
    case 'result':
      return { ...event, result: withoutOutput(event.result) };
    case 'phase-end':
      return { ...event, results: event.results.map(withoutOutput) };
    case 'summary': {
      const { error, aggregate, ...rest } = event;
      const byId = Object.fromEntries(Object.entries(aggregate.byId).map(([id, result]) => [id, withoutOutput(result)]));
      const lean = { ...aggregate, results: aggregate.results.map(withoutOutput), byId };
      return { ...rest, aggregate: lean, results: event.results.map(withoutOutput), ...(error ? { error: error.message } : {}) } as unknown as DashboardEvent;
    }
    default:
      return event;
  }
}

/** One SSE message: the dashboard's id, the event's type and the event as protocol-v1 JSON. */
function message(id: number, event: DashboardEvent): string {
  const type = String(event.type).replace(/[^A-Za-z0-9_-]/g, '_');
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ v: PROTOCOL_VERSION, ...event })}\n\n`;
}

export class DashboardFeed {
  readonly state: DashboardState;
  private readonly history: EventHistory;
  private readonly redactor: EventRedactor;
  private readonly clients = new Set<SseClient>();
  private finished = false;

  constructor(
    private readonly redact: Redactor,
    private readonly limits: FeedLimits,
  ) {
    this.state = new DashboardState(limits.outputPerProcess);
    this.history = new EventHistory(limits.historyChars);
    this.redactor = new EventRedactor(redact);
  }

  get lastId(): number {
    return this.history.lastId;
  }

  get ended(): boolean {
    return this.finished;
  }

  /** Clients connected now. */
  get clientCount(): number {
    return this.clients.size;
  }

  /** Bytes written to clients and not yet taken by their sockets (what slow clients cost). */
  get pendingBytes(): number {
    let sum = 0;
    for (const client of this.clients) sum += client.pendingBytes;
    return sum;
  }

  push(event: DashboardEvent): void {
    const redacted: DashboardEvent[] = PROCESS_TYPES.has(event.type) ? this.redactor.push(event as ProcessEvent) : [redactDeep(event, this.redact)];
    for (const one of redacted) {
      this.state.apply(one);
      const entry = this.history.add((id) => message(id, onTheWire(one)));
      for (const client of this.clients) client.send(entry.text);
    }
  }

  /** The run is over: clients are told (`end`), and stay connected. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    for (const client of this.clients) client.send('event: end\ndata: {}\n\n');
  }

  /** A new client, sent everything after `lastSeen` (0: from the start), or a resync when that is gone. */
  connect(response: ServerResponse, lastSeen: number): void {
    const missed = this.history.after(lastSeen);
    if (missed === null) {
      response.end(RESYNC_MESSAGE);
      return;
    }
    const client = new SseClient(response, this.limits.clientQueueBytes, (gone) => this.clients.delete(gone));
    this.clients.add(client);
    response.write(': rx-orchestration dashboard\n\n');
    for (const entry of missed) client.send(entry.text);
    if (this.finished) client.send('event: end\ndata: {}\n\n');
  }

  /** Ends every client's stream (the server closes). */
  closeAll(): void {
    for (const client of [...this.clients]) client.end();
  }
}
