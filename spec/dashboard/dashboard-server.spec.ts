/**
 * The dashboard's server, through real HTTP on loopback: the token on every request, the
 * control's guards, resuming with Last-Event-ID, the stalled client's bounded cost, redaction,
 * and real processes' output arriving whole and in order.
 */
import { connect } from 'node:net';
import { Subject } from 'rxjs';
import { CommandProcess, orchestrate, type Plan } from '../../src/index';
import { createRedactor, dashboard, type DashboardEvent, type LiveDashboard } from '../../src/toolkit';
import { fixture, waitFor } from '../helpers';
import { apiUrl, getJson, SseReader } from './helpers';

const boards: LiveDashboard[] = [];
const readers: SseReader[] = [];
afterEach(async () => {
  readers.splice(0).forEach((reader) => reader.close());
  await Promise.all(boards.splice(0).map((board) => board.close()));
});

async function serve(events$: Subject<DashboardEvent> | ReturnType<typeof orchestrate>, options: Parameters<typeof dashboard>[1] = {}): Promise<LiveDashboard> {
  const board = dashboard(events$, options);
  boards.push(board);
  await board.listen();
  return board;
}

async function open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const reader = await SseReader.open(url, headers);
  readers.push(reader);
  return reader;
}

const output = (processId: string, chunk: string): DashboardEvent => ({ type: 'output', processId, stream: 'stdout', chunk, at: Date.now() });

async function status(url: string, init: RequestInit = {}): Promise<number> {
  const abort = new AbortController();
  const response = await fetch(url, { ...init, signal: abort.signal });
  abort.abort(); // an event stream never ends by itself
  return response.status;
}

describe('dashboard(): access', () => {
  const PATHS = ['/', '/index.html', '/common.js', '/model.js', '/view.js', '/terminal.js', '/app.js', '/style.css', '/xterm.js', '/xterm.css', '/api/info', '/api/state', '/api/events', '/api/output?process=a'];

  it('answers 403 to every request without the token or with a wrong one, page, assets and event stream alike', async () => {
    const events = new Subject<DashboardEvent>();
    const board = await serve(events);
    events.next({ type: 'start', processId: 'a', pid: 1, command: 'x', args: [], at: Date.now() });
    const wrongSameLength = `${board.token.slice(0, -1)}${board.token.endsWith('A') ? 'B' : 'A'}`;
    for (const path of PATHS) {
      expect([path, await status(apiUrl(board.url, path, { token: null }))]).toEqual([path, 403]);
      expect([path, await status(apiUrl(board.url, path, { token: wrongSameLength }))]).toEqual([path, 403]);
      expect([path, await status(apiUrl(board.url, path, { token: 'short' }))]).toEqual([path, 403]);
      expect([path, await status(apiUrl(board.url, path))]).toEqual([path, 200]);
    }
    // The token in a header works too.
    expect(await status(apiUrl(board.url, '/api/state', { token: null }), { headers: { 'x-rxo-token': board.token } })).toBe(200);
  });

  it('sends a strict Content-Security-Policy, no caching and no referrer', async () => {
    const board = await serve(new Subject<DashboardEvent>());
    const response = await fetch(board.url);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain(`/app.js?token=${board.token}`);
    expect(html).not.toMatch(/<script>|\son[a-z]+=/i);
  });

  it('binds 127.0.0.1 by default and refuses a bad port, naming it', async () => {
    const board = await serve(new Subject<DashboardEvent>());
    expect(new URL(board.url).hostname).toBe('127.0.0.1');
    expect(() => dashboard(new Subject<DashboardEvent>(), { port: 70000 })).toThrow('port must be an integer from 0 to 65535, received 70000');
    expect(() => dashboard(new Subject<DashboardEvent>(), { outputPerProcess: -1 })).toThrow(/outputPerProcess must be .*received -1/);
  });
});

describe('dashboard(): control', () => {
  it('is read-only without control: no stop route', async () => {
    const board = await serve(new Subject<DashboardEvent>());
    const response = await fetch(apiUrl(board.url, '/api/stop', { token: null }), { method: 'POST', headers: { 'x-rxo-token': board.token, origin: new URL(board.url).origin } });
    expect(response.status).toBe(404);
  });

  it('stops only for a POST with the token in a header and the page\'s own origin', async () => {
    const stops: unknown[] = [];
    const board = await serve(new Subject<DashboardEvent>(), { control: { stop: (reason) => stops.push(reason) } });
    const stop = apiUrl(board.url, '/api/stop', { token: null });
    const origin = new URL(board.url).origin;
    expect(await status(apiUrl(board.url, '/api/stop'), { method: 'POST', headers: { origin } })).toBe(403); // token in the query only (a form could do that)
    expect(await status(stop, { method: 'POST', headers: { 'x-rxo-token': board.token } })).toBe(403); // no Origin
    expect(await status(stop, { method: 'POST', headers: { 'x-rxo-token': board.token, origin: 'http://evil.example' } })).toBe(403);
    expect(await status(stop, { method: 'POST', headers: { 'x-rxo-token': board.token, origin, 'sec-fetch-site': 'cross-site' } })).toBe(403);
    expect(stops).toEqual([]);
    expect(await status(stop, { method: 'POST', headers: { 'x-rxo-token': board.token, origin } })).toBe(200);
    expect(stops).toEqual(['dashboard']);
  });
});

describe('dashboard(): the event stream', () => {
  it('resumes after Last-Event-ID without loss or duplicates', async () => {
    const events = new Subject<DashboardEvent>();
    const board = await serve(events);
    for (let i = 0; i < 30; i += 1) events.next(output(i % 2 ? 'b' : 'a', `line ${i}\n`));
    const first = await open(apiUrl(board.url, '/api/events'));
    await waitFor(() => first.messages.length >= 30, 'the first 30 messages');
    first.close();
    const seen = first.messages.slice(0, 20);
    for (let i = 30; i < 60; i += 1) events.next(output(i % 2 ? 'b' : 'a', `line ${i}\n`));
    const second = await open(apiUrl(board.url, '/api/events'), { 'last-event-id': seen[seen.length - 1].id ?? '' });
    events.complete();
    await waitFor(() => second.messages.some((m) => m.event === 'end'), 'the end of the stream');
    const all = [...seen, ...second.messages.filter((m) => m.event !== 'end')];
    expect(all.map((m) => Number(m.id))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const text = all.map((m) => (JSON.parse(m.data) as { chunk: string }).chunk).join('');
    expect(text).toBe(Array.from({ length: 60 }, (_, i) => `line ${i}\n`).join(''));
    // Each event keeps its protocol-v1 envelope: v, seq numbering it within its process.
    const seqOfA = all.map((m) => JSON.parse(m.data) as { v: number; processId: string; seq: number }).filter((e) => e.processId === 'a');
    expect(seqOfA.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(seqOfA.every((e) => e.v === 1)).toBe(true);
  });

  it('sends a resync to a client whose Last-Event-ID is no longer held', async () => {
    const events = new Subject<DashboardEvent>();
    const board = await serve(events, { historyChars: 2000 });
    for (let i = 0; i < 100; i += 1) events.next(output('a', `${'x'.repeat(50)} ${i}\n`));
    const reader = await open(apiUrl(board.url, '/api/events'), { 'last-event-id': '3' });
    await waitFor(() => reader.ended, 'the stream ends');
    expect(reader.messages.map((m) => m.event)).toEqual(['resync']);
  });

  it('keeps a stalled client\'s cost bounded, then tells it to resync', async () => {
    const events = new Subject<DashboardEvent>();
    const queue = 64 * 1024;
    const board = await serve(events, { clientQueueBytes: queue, historyChars: 1024 * 1024, outputPerProcess: 1024 * 1024 });
    const page = new URL(board.url);
    const socket = connect(Number(page.port), page.hostname);
    socket.write(`GET /api/events?token=${board.token} HTTP/1.1\r\nHost: ${page.host}\r\n\r\n`);
    socket.pause(); // a page that stopped reading
    await waitFor(() => board.stats().clients === 1, 'the client is connected');
    const line = `${'y'.repeat(16 * 1024 - 1)}\n`;
    let most = 0;
    for (let i = 0; i < 2000; i += 1) {
      events.next(output('flood', line)); // 32 MiB in all
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      most = Math.max(most, board.stats().pendingBytes);
    }
    // At most the queue and one message wait in the process, however much the run writes.
    expect(most).toBeLessThanOrEqual(queue + 17 * 1024);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (received = (received + text).slice(-4096)));
    socket.resume();
    await waitFor(() => received.includes('event: resync'), 'the resync message', 30_000);
    await waitFor(() => board.stats().clients === 0, 'the stalled client is let go');
    socket.destroy();
  });
});

describe('dashboard(): groups and verdicts', () => {
  it('groups rows by the phase events (a pattern\'s rounds) and keeps a last verdict, with no pattern-specific code', async () => {
    const events = new Subject<DashboardEvent>();
    const board = await serve(events);
    const round = (index: number, processIds: string[]) => ({ index, name: `round ${index + 1}`, strategy: 'parallel' as const, processIds });
    events.next({ type: 'phase-start', at: 1, phase: round(0, ['a', 'b']) });
    events.next({ type: 'phase-end', at: 2, phase: round(0, ['a', 'b']), succeeded: true, results: [] });
    events.next({ type: 'phase-start', at: 3, phase: round(1, ['c']) });
    events.next({ type: 'verdict', pattern: 'debate', verdict: { winner: 'c' } });
    events.next({ type: 'round-note', at: 4, text: 'an event kind the dashboard does not know' } as unknown as DashboardEvent);
    const state = await getJson<{ groups: unknown[]; rows: { processId: string; group: number }[]; verdict: unknown }>(apiUrl(board.url, '/api/state'));
    expect(state.groups).toEqual([
      { index: 0, name: 'round 1', strategy: 'parallel', state: 'succeeded' },
      { index: 1, name: 'round 2', strategy: 'parallel', state: 'running' },
    ]);
    expect(state.rows.map((row) => [row.processId, row.group])).toEqual([['a', 0], ['b', 0], ['c', 1]]);
    expect(state.verdict).toEqual({ pattern: 'debate', verdict: { winner: 'c' } });
  });
});

describe('dashboard(): real runs', () => {
  const lines = (count: number): string => Array.from({ length: count }, (_, i) => `line ${i}\n`).join('');
  const numbered = (processId: string, count: number): CommandProcess => new CommandProcess({ command: process.execPath, args: [fixture('numbered-lines.js'), String(count)], processId });

  it('streams every process\'s output whole and in order, and serves its tail and earlier parts', async () => {
    const plan: Plan = { phases: [{ name: 'numbers', strategy: 'parallel', processes: [numbered('small', 500), numbered('big', 200_000)], options: { maxWorkers: 2 } }] };
    // A reader in this same process cannot keep up with a run that writes as fast as it can: a deep queue.
    const board = await serve(orchestrate(plan), { outputPerProcess: 512 * 1024, clientQueueBytes: 256 * 1024 * 1024 });
    const reader = await open(apiUrl(board.url, '/api/events'));
    await waitFor(() => reader.messages.some((m) => m.event === 'end'), 'the run ends', 30_000);
    const text = (id: string): string => reader.messages.filter((m) => m.event === 'output').map((m) => JSON.parse(m.data) as { processId: string; chunk: string }).filter((e) => e.processId === id).map((e) => e.chunk).join('');
    expect(text('small')).toBe(lines(500));
    expect(text('big')).toBe(lines(200_000));
    const whole = lines(200_000);
    const tail = await getJson<{ start: number; end: number; first: number; total: number; text: string }>(apiUrl(board.url, '/api/output', { query: { process: 'big', limit: '1000' } }));
    expect(tail).toMatchObject({ end: whole.length, total: whole.length, first: whole.length - 512 * 1024, text: whole.slice(-1000) });
    const earlier = await getJson<{ start: number; text: string }>(apiUrl(board.url, '/api/output', { query: { process: 'big', end: String(tail.start), limit: '5000' } }));
    expect(earlier.text).toBe(whole.slice(tail.start - 5000, tail.start));
    const state = await getJson<{ rows: { processId: string; state: string; exitCode: number; outputChars: number; group: number; lastLine: string }[]; groups: { name: string; state: string }[] }>(apiUrl(board.url, '/api/state'));
    expect(state.groups).toEqual([expect.objectContaining({ name: 'numbers', state: 'succeeded' })]);
    expect(state.rows.find((row) => row.processId === 'big')).toMatchObject({ state: 'succeeded', exitCode: 0, outputChars: whole.length, group: 0, lastLine: 'line 199999' });
  });

  it('keeps secrets off the page: state, output and the stream are redacted, even a secret split across writes', async () => {
    const secret = 'hunter2-very-secret-value';
    // The child splits the secret it is given across two writes.
    const script = "const s = process.argv[1]; process.stdout.write('token=' + s.slice(0, 9)); setTimeout(() => process.stdout.write(s.slice(9) + ' end\\n'), 100);";
    const plan: Plan = { phases: [{ strategy: 'parallel', processes: [new CommandProcess({ command: process.execPath, args: ['-e', script, secret], processId: 'leaky' })] }] };
    const board = await serve(orchestrate(plan), { redact: createRedactor([secret]) });
    const reader = await open(apiUrl(board.url, '/api/events'));
    await waitFor(() => reader.messages.some((m) => m.event === 'end'), 'the run ends');
    const stream = reader.messages.map((m) => m.data).join('\n');
    const state = await (await fetch(apiUrl(board.url, '/api/state'))).text();
    const out = await getJson<{ text: string }>(apiUrl(board.url, '/api/output', { query: { process: 'leaky' } }));
    for (const seen of [stream, state, out.text]) {
      expect(seen).not.toContain(secret);
      expect(seen).not.toContain(secret.slice(9));
    }
    expect(out.text).toBe('token=[REDACTED] end\n');
    expect(stream).toContain('[REDACTED]');
  });
});
