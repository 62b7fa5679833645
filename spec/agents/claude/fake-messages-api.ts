/**
 * A stand-in for the Anthropic Messages API on 127.0.0.1 (a free port), for driving the real
 * `claude` binary offline. `POST /v1/messages` answers with server-sent events (or JSON when the
 * request did not ask to stream); the reply is chosen by the first script whose `match` occurs in
 * the request's last user message, so each test scripts its own prompts:
 *   { text }                    a plain reply, streamed in a few deltas
 *   { text, delayMs }           the same with a pause before each delta (a slow stream)
 *   { status, errorType }       an HTTP error (529 overloaded_error, 500 api_error, ...)
 *   { toolUse: {name, input} }  a tool-use turn; the next request (carrying the tool result) gets `text`
 * Anything unscripted (the CLI's own side requests, such as a title or a quota check on a small
 * model) gets a short text reply. Every request is recorded, body parsed, for assertions. Used as
 * the CLI's HTTP(S) proxy too, it records (and refuses) any attempt to reach another host.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface ScriptedReply {
  /** Chosen when this text occurs in the user messages of a request. */
  readonly match: string;
  readonly text?: string;
  /** Milliseconds before each text delta. */
  readonly delayMs?: number;
  /** Pieces the text is streamed in. @default 3 */
  readonly pieces?: number;
  /** An HTTP error status instead of a reply. */
  readonly status?: number;
  /** The error's `type` in the body. @default 'api_error' */
  readonly errorType?: string;
  /** Answer with a tool use first; the request carrying its result gets `text`. */
  readonly toolUse?: { readonly name: string; readonly input: Record<string, unknown> };
  /** Token counts reported for this reply. @default { input: 100, output: 20 } */
  readonly usage?: { readonly input: number; readonly output: number };
  /** Error only the first `times` matching requests, then answer with `text`. @default always */
  readonly times?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  /** The parsed JSON body (undefined when the body was not JSON). */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly raw: string;
  /** The text of every user message, joined, or '' (what scripts match against). */
  readonly userText: string;
  /** True for a request meant for another host (a proxy request): none should ever arrive. */
  readonly proxied: boolean;
  /** The reply it got: a script's `match`, or 'default'. */
  readonly answeredWith: string;
}

export interface FakeMessagesApi {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Requests to `/v1/messages` whose user messages contain `text`. */
  messagesMatching(text: string): RecordedRequest[];
  close(): Promise<void>;
}

export const DEFAULT_USAGE = { input: 100, output: 20 };

/** The text of a message's content (a string or blocks; tool results count with their content). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block: { type?: string; text?: string; content?: unknown }) =>
      block.type === 'text' ? block.text ?? '' : block.type === 'tool_result' ? textOf(block.content) : '',
    )
    .join('\n');
}

/** Every user message's text, joined: a tool-result turn still carries the prompt that started it. */
function userText(body: { messages?: { role: string; content: unknown }[] } | undefined): string {
  return (body?.messages ?? []).filter((m) => m.role === 'user').map((m) => textOf(m.content)).join('\n');
}

function hasToolResult(body: { messages?: { role: string; content: unknown }[] } | undefined): boolean {
  const users = (body?.messages ?? []).filter((m) => m.role === 'user');
  const last = users[users.length - 1]?.content;
  return Array.isArray(last) && last.some((block: { type?: string }) => block.type === 'tool_result');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function sse(res: ServerResponse, event: string, data: object): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

let messageCounter = 0;

/** Streams one assistant message: text deltas, or a tool_use block. */
async function streamMessage(
  res: ServerResponse,
  model: string,
  reply: { text?: string; toolUse?: ScriptedReply['toolUse']; delayMs?: number; pieces?: number; usage: { input: number; output: number } },
): Promise<void> {
  const id = `msg_fake_${++messageCounter}`;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': `req_${id}` });
  const usage = { input_tokens: reply.usage.input, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  sse(res, 'message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage } });
  if (reply.toolUse) {
    const toolId = `toolu_fake_${messageCounter}`;
    sse(res, 'content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: toolId, name: reply.toolUse.name, input: {} } });
    sse(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(reply.toolUse.input) } });
    sse(res, 'content_block_stop', { type: 'content_block_stop', index: 0 });
  } else {
    const text = reply.text ?? '';
    const count = Math.max(1, Math.min(reply.pieces ?? 3, text.length));
    const size = Math.ceil(text.length / count);
    sse(res, 'content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    for (let i = 0; i < text.length || i === 0; i += size || 1) {
      if (reply.delayMs) await sleep(reply.delayMs);
      if (res.destroyed) return;
      sse(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(i, i + size) } });
      if (text.length === 0) break;
    }
    sse(res, 'content_block_stop', { type: 'content_block_stop', index: 0 });
  }
  const stop = reply.toolUse ? 'tool_use' : 'end_turn';
  sse(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: reply.usage.output } });
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

/** Starts the stand-in on a free loopback port. */
export async function startFakeMessagesApi(scripts: readonly ScriptedReply[] = []): Promise<FakeMessagesApi> {
  const requests: RecordedRequest[] = [];
  const served = new Map<ScriptedReply, number>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const path = (req.url ?? '').split('?')[0];
    const text = userText(body);
    const script = path === '/v1/messages' ? scripts.find((s) => text.includes(s.match)) : undefined;
    const proxied = /^[a-z]+:\/\//i.test(req.url ?? '');
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, raw, userText: text, proxied, answeredWith: script?.match ?? 'default' });
    if (proxied) {
      res.writeHead(403).end('the stand-in does not proxy');
      return;
    }
    if (req.method === 'HEAD' || req.method === 'GET') {
      res.writeHead(200).end();
      return;
    }
    if (path === '/v1/messages/count_tokens') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: 10 }));
      return;
    }
    if (path !== '/v1/messages' || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `no ${path}` } }));
      return;
    }
    const model = String(body?.model ?? 'unknown-model');
    const count = (served.get(script as ScriptedReply) ?? 0) + 1;
    if (script) served.set(script, count);
    if (script?.status && (script.times === undefined || count <= script.times)) {
      const error = { type: 'error', error: { type: script.errorType ?? 'api_error', message: `scripted ${script.status}` } };
      res.writeHead(script.status, { 'content-type': 'application/json' }).end(JSON.stringify(error));
      return;
    }
    const usage = script?.usage ?? DEFAULT_USAGE;
    const toolUse = script?.toolUse && !hasToolResult(body) ? script.toolUse : undefined;
    const reply = script?.text ?? 'OK';
    if (body?.stream === false || body?.stream === undefined) {
      const content = toolUse ? [{ type: 'tool_use', id: `toolu_fake_${++messageCounter}`, name: toolUse.name, input: toolUse.input }] : [{ type: 'text', text: reply }];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        id: `msg_fake_${++messageCounter}`, type: 'message', role: 'assistant', model, content,
        stop_reason: toolUse ? 'tool_use' : 'end_turn', stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      }));
      return;
    }
    await streamMessage(res, model, { text: reply, toolUse, delayMs: script?.delayMs, pieces: script?.pieces, usage });
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });
  // A CONNECT (an HTTPS proxy request for another host) is recorded and refused.
  server.on('connect', (req: IncomingMessage, socket) => {
    requests.push({ method: 'CONNECT', url: req.url ?? '', headers: req.headers, body: undefined, raw: '', userText: '', proxied: true, answeredWith: 'refused' });
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    messagesMatching: (text) => requests.filter((r) => r.url.startsWith('/v1/messages') && !r.url.includes('count_tokens') && r.userText.includes(text)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The environment that points the real Claude CLI at the stand-in: a HOME (and config
 * directory) of the run's own, a dummy key, no retries by default, the sandbox flag for root, and
 * proxies aimed at the stand-in so that nothing leaves the machine (the spec checks none was used).
 */
export function standInEnv(api: FakeMessagesApi, home: string, options: { readonly retries?: number } = {}): Record<string, string | undefined> {
  return {
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    ANTHROPIC_API_KEY: 'dummy',
    ANTHROPIC_AUTH_TOKEN: undefined,
    ANTHROPIC_BASE_URL: api.url,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: String(options.retries ?? 0),
    IS_SANDBOX: '1',
    HTTPS_PROXY: api.url,
    HTTP_PROXY: api.url,
    NO_PROXY: '127.0.0.1,localhost',
  };
}
