/**
 * Helpers of the dashboard specs: requests with and without the token, and a Server-Sent Events
 * reader over a real HTTP connection (node:http), parsing messages as a browser does.
 */
import { request } from 'node:http';

export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/** The URL of `path` on the dashboard whose page URL is `pageUrl`, with its token unless `token` says otherwise. */
export function apiUrl(pageUrl: string, path: string, options: { readonly token?: string | null; readonly query?: Record<string, string> } = {}): string {
  const page = new URL(pageUrl);
  const url = new URL(path, page.origin);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const token = options.token === undefined ? page.searchParams.get('token') : options.token;
  if (token !== null) url.searchParams.set('token', token);
  return url.toString();
}

export async function getJson<T = Record<string, unknown>>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** An open event stream: the messages so far, and a way to wait for more. */
export class SseReader {
  readonly messages: SseMessage[] = [];
  ended = false;
  private buffer = '';
  private closeRequest: (() => void) | undefined;

  static open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const reader = new SseReader();
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`HTTP ${response.statusCode}`));
          response.resume();
          return;
        }
        response.setEncoding('utf8');
        response.on('data', (text: string) => reader.take(text));
        response.on('end', () => (reader.ended = true));
        response.on('close', () => (reader.ended = true));
        resolve(reader);
      });
      reader.closeRequest = () => req.destroy();
      req.on('error', (error) => (reader.ended ? undefined : reject(error)));
      req.end();
    });
  }

  close(): void {
    this.closeRequest?.();
  }

  private take(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') id = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0 || id !== undefined) this.messages.push({ id, event, data: data.join('\n') });
    }
  }
}

/** Fetches `url` every 50 ms until `predicate` holds for its JSON; rejects after `timeoutMs` naming `what`. */
export async function pollJson<T>(url: string, predicate: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await getJson<T>(url);
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}; last: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
