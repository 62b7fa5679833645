/**
 * `dashboard(events$, options)`: a web page showing a run live: a row per process (state,
 * duration, exit, cost, tokens, last line), its output as a terminal, the phases as groups, over
 * Server-Sent Events with resume. The events are redacted before anything keeps or sends them.
 * `listen()` subscribes to `events$` (after the server is up, so the page sees the whole run);
 * `close()` unsubscribes (stopping a run still going) and closes the server.
 */
import type { Observable, Subscription } from 'rxjs';
import { dashboardDefaults } from '../defaults';
import { checkPositiveInteger } from '../validate';
import { createRedactor, secretValues, type Redactor } from '../logging/redact';
import type { DashboardEvent } from './dashboard-events';
import { DashboardFeed } from './dashboard-feed';
import { DashboardServer, type ServeOptions } from './dashboard-server';

export interface DashboardOptions extends ServeOptions {
  /** What keeps secrets off the page (a session's `redact` adds its processes' secrets). @default the host environment's secrets */
  readonly redact?: Redactor;
  /** Output kept per process, in characters (the page loads the tail first; the rest is in the log file). @default 1 Mi */
  readonly outputPerProcess?: number;
  /** Encoded events kept for reconnecting pages, in characters. @default 16 MiB */
  readonly historyChars?: number;
  /** Bytes a slow page may have pending before it is sent a resync instead. @default 4 MiB */
  readonly clientQueueBytes?: number;
}

/** A live dashboard: a `DashboardServer` that also follows the run. */
export class LiveDashboard extends DashboardServer {
  private subscription: Subscription | undefined;
  /** Resolves when `events$` completes or errors. */
  readonly finished: Promise<void>;
  private markFinished!: () => void;

  constructor(
    private readonly events$: Observable<DashboardEvent>,
    private readonly feed: DashboardFeed,
    options: ServeOptions,
  ) {
    super({ mode: 'live', feed: () => feed, closeAll: () => feed.closeAll() }, options);
    this.finished = new Promise((resolve) => (this.markFinished = resolve));
  }

  /** What it holds now: connected clients, the bytes waiting in their sockets, the last stream id. */
  stats(): { readonly clients: number; readonly pendingBytes: number; readonly lastId: number } {
    return { clients: this.feed.clientCount, pendingBytes: this.feed.pendingBytes, lastId: this.feed.lastId };
  }

  override async listen(): Promise<string> {
    const url = await super.listen();
    this.subscription ??= this.events$.subscribe({
      next: (event) => this.feed.push(event),
      error: () => this.end(),
      complete: () => this.end(),
    });
    return url;
  }

  override close(): Promise<void> {
    this.subscription?.unsubscribe();
    this.end();
    return super.close();
  }

  private end(): void {
    this.feed.end();
    this.markFinished();
  }
}

/**
 * @example
 * ```ts
 * import { CommandProcess, orchestrate } from 'rx-orchestration';
 * import { dashboard } from 'rx-orchestration/toolkit';
 * const echo = (word: string) => new CommandProcess({ command: 'echo', args: [word], processId: word });
 * const plan = { phases: [{ strategy: 'parallel' as const, processes: [echo('a'), echo('b')] }] };
 * const board = dashboard(orchestrate(plan), { port: 0 });
 * console.error(`Dashboard: ${await board.listen()}`);
 * await board.finished;
 * await board.close();
 * ```
 */
export function dashboard(events$: Observable<DashboardEvent>, options: DashboardOptions = {}): LiveDashboard {
  const redact = options.redact ?? createRedactor(secretValues(process.env));
  const feed = new DashboardFeed(redact, {
    outputPerProcess: checkPositiveInteger('outputPerProcess', options.outputPerProcess ?? dashboardDefaults.outputPerProcess),
    historyChars: checkPositiveInteger('historyChars', options.historyChars ?? dashboardDefaults.historyChars),
    clientQueueBytes: checkPositiveInteger('clientQueueBytes', options.clientQueueBytes ?? dashboardDefaults.clientQueueBytes),
  });
  return new LiveDashboard(events$, feed, options);
}
