/**
 * The routes of one run (a live run, or a replayed session), under its base path:
 *
 * - `GET state`: the snapshot (`RunSnapshot`) and `lastId`, the stream position it reflects;
 * - `GET events`: SSE from after `Last-Event-ID` (or `?since=`), see `DashboardFeed.connect`;
 * - `GET output?process=<id>[&end=<offset>][&limit=<chars>]`: a slice of a process's output
 *   (the tail by default) and the `lastId` it reflects, so a page joins it to the live events.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dashboardDefaults } from '../defaults';
import type { DashboardFeed } from './dashboard-feed';

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(value));
}

/** A non-negative integer query parameter; undefined when absent or not one. */
function integer(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

/** Handles `route` of a feed; false when it is not one of these routes. */
export function feedRoute(feed: DashboardFeed, route: string, request: IncomingMessage, response: ServerResponse, url: URL): boolean {
  switch (route) {
    case 'state':
      sendJson(response, 200, { ...feed.state.snapshot(), lastId: feed.lastId, ended: feed.ended });
      return true;
    case 'events': {
      const header = request.headers['last-event-id'];
      const since = typeof header === 'string' && /^\d{1,15}$/.test(header.trim()) ? Number(header.trim()) : integer(url, 'since') ?? 0;
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      response.flushHeaders();
      feed.connect(response, since);
      return true;
    }
    case 'output': {
      const processId = url.searchParams.get('process') ?? '';
      const record = feed.state.record(processId);
      if (!record) {
        sendJson(response, 404, { error: `no process ${JSON.stringify(processId)}` });
        return true;
      }
      const limit = Math.min(integer(url, 'limit') ?? dashboardDefaults.maxRangeChars, dashboardDefaults.maxRangeChars);
      sendJson(response, 200, { ...record.output.slice({ end: integer(url, 'end'), limit }), lastId: feed.lastId });
      return true;
    }
    default:
      return false;
  }
}
