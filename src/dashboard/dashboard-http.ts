/**
 * The dashboard's HTTP handler, security first: every request needs the token (403 otherwise,
 * assets and the page included); only GET and HEAD, except the control's POST, which also needs
 * the token in a header (a form cannot send one) and an `Origin` equal to the page's own. Every
 * answer carries a strict Content-Security-Policy (scripts only from the server, no inline
 * script), no caching, no referrer (the token is in the URL) and no framing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardFeed } from './dashboard-feed';
import { feedRoute, sendJson } from './feed-routes';
import { asset, indexPage } from './static-assets';
import { requestToken, tokenMatches } from './token';

/** What a server shows: one live run, or the sessions under a log root. */
export interface DashboardSource {
  readonly mode: 'live' | 'sessions';
  /** The feed of the live run, or of a session by id (undefined: no such session). */
  feed(sessionId?: string): DashboardFeed | undefined;
  /** The sessions list (sessions mode). */
  sessions?(): unknown[];
}

/** Stops the run from the page (`control`): first call graceful, later calls forced (a `Stopper` fits). */
export interface DashboardControl {
  stop(reason?: unknown): unknown;
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

function forbidden(response: ServerResponse): void {
  response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
  response.end('403 Forbidden: this dashboard needs its token (the URL printed when it started)\n');
}

/** The control's same-origin check: `Origin` is this server's (as the browser reached it). */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  const site = request.headers['sec-fetch-site'];
  if (typeof origin !== 'string' || typeof host !== 'string') return false;
  if (site !== undefined && site !== 'same-origin') return false;
  return origin === `http://${host}`;
}

export function dashboardHandler(options: { readonly token: string; readonly source: DashboardSource; readonly control?: DashboardControl }) {
  const { token, source, control } = options;
  return (request: IncomingMessage, response: ServerResponse): void => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://dashboard.invalid');
    } catch {
      sendJson(response, 400, { error: 'bad request' });
      return;
    }
    const post = request.method === 'POST';
    const given = post ? (typeof request.headers['x-rxo-token'] === 'string' ? (request.headers['x-rxo-token'] as string) : undefined) : requestToken(request, url);
    if (!tokenMatches(given, token)) return forbidden(response);
    if (post) {
      if (url.pathname !== '/api/stop' || !control) return sendJson(response, 404, { error: 'not found' });
      if (!sameOrigin(request)) return forbidden(response);
      control.stop('dashboard');
      request.resume();
      return sendJson(response, 200, { stopped: true });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: 'method not allowed' });
    const path = url.pathname;
    if (path === '/' || path === '/index.html') return send(response, indexPage(token));
    const file = asset(path);
    if (file) return send(response, file);
    if (path === '/api/info') return sendJson(response, 200, { mode: source.mode, control: Boolean(control) });
    if (path === '/api/sessions' && source.sessions) return sendJson(response, 200, source.sessions());
    const live = /^\/api\/([a-z]+)$/.exec(path);
    const session = /^\/api\/s\/([^/]+)\/([a-z]+)$/.exec(path);
    const feed = live ? source.feed() : session ? source.feed(decoded(session[1])) : undefined;
    const route = live?.[1] ?? session?.[2];
    if (feed && route && feedRoute(feed, route, request, response, url)) return;
    sendJson(response, 404, { error: 'not found' });
  };
}

/** A percent-decoded path part; '' when it is not valid percent-encoding. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

function send(response: ServerResponse, file: { readonly type: string; readonly body: Buffer }): void {
  response.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length });
  response.end(file.body);
}
