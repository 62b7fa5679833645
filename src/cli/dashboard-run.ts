/**
 * `--dashboard` in a run: `dashboard()` from the toolkit, fed the run's events, started before
 * the run (its URL, token included, printed on stderr) and, after the run, kept serving until
 * Ctrl-C when stdout is a terminal, else for `--dashboard-linger` seconds.
 */
import { Subject } from 'rxjs';
import { dashboard, type DashboardControl, type DashboardEvent, type LiveDashboard, type Redactor } from '../toolkit';
import type { Output } from './render';
import { isLoopback, type DashboardCliOptions } from './dashboard-flags';
import { untilStopSignal } from './dashboard-wait';

export interface CliDashboard {
  /** Feeds one event of the run. */
  push(event: DashboardEvent): void;
  /** The run is over: serve on (see the file comment) unless `serveOn` is false, then close. */
  finish(options: { readonly serveOn: boolean; readonly tty: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function startCliDashboard(
  options: DashboardCliOptions,
  context: { readonly stderr: Output; readonly redact: Redactor; readonly control?: DashboardControl },
): Promise<CliDashboard> {
  const events = new Subject<DashboardEvent>();
  const board: LiveDashboard = dashboard(events, {
    host: options.host,
    port: options.port,
    redact: context.redact,
    ...(options.control && context.control ? { control: context.control } : {}),
  });
  try {
    await board.listen();
  } catch (error) {
    throw new Error(`--dashboard: cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
  }
  if (!isLoopback(options.host)) {
    context.stderr.write(`orchestrate: warning: --dashboard-host ${options.host}: the dashboard is reachable from other machines; anyone with its URL (token included) can read the run, over unencrypted HTTP\n`);
  }
  context.stderr.write(`Dashboard: ${board.url}\n`);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    events.complete();
    await board.close();
  };
  return {
    push: (event) => events.next(event),
    async finish({ serveOn, tty }) {
      events.complete();
      if (serveOn && (tty || options.lingerSeconds > 0)) {
        context.stderr.write(tty ? `Dashboard still serving at ${board.url} (Ctrl-C to stop)\n` : '');
        await untilStopSignal(tty ? undefined : options.lingerSeconds * 1000);
      }
      await close();
    },
    close,
  };
}
