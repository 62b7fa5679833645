/**
 * The dashboard page in a real headless Chromium (the system's, driven by playwright-core; no
 * browser is downloaded): rows appear and change live while real processes run, a process's
 * output shows in its terminal in order, 403 without the token; with LONG_TESTS, a reload
 * resumes without loss or duplicates, 50 processes, and a replayed session matches its summary.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, Subject } from 'rxjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CommandProcess, orchestrate, type Plan, type SessionSummary, type SummaryEvent } from '../../src/index';
import { dashboard, sessionsDashboard, type DashboardEvent, type DashboardServer } from '../../src/toolkit';
import { describeWithTool, fixture, LONG_TESTS, tempDirs, toolPath } from '../helpers';
import { apiUrl } from './helpers';

const longIt = LONG_TESTS ? it : it.skip;

// The functions given to page.evaluate run in the page: the little of the DOM they use.
interface PageElement {
  readonly textContent: string | null;
  readonly children: ArrayLike<PageElement>;
  readonly dataset: Record<string, string | undefined>;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<PageElement> };

/** Reads until `check` passes (it asserts with expect), every 50 ms; the last failure after `timeoutMs`. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const dirs = tempDirs('rxo-browser-');
let browser: Browser;
let page: Page;
const servers: DashboardServer[] = [];

async function serve<S extends DashboardServer>(server: S): Promise<S> {
  servers.push(server);
  await server.listen();
  return server;
}

/** The text of a row's cells, by process id ('' when the row is not there). */
function rowText(id: string): Promise<string> {
  return page.evaluate((processId) => {
    const row = Array.from(document.querySelectorAll('tr.process')).find((tr) => tr.dataset.id === processId);
    return row ? Array.from(row.children).map((cell) => cell.textContent).join(' | ') : '';
  }, id);
}

/** The open terminal's text, line by line, trailing blanks dropped. */
function terminalLines(): Promise<string[]> {
  return page.evaluate(() => {
    const rows = Array.from(document.querySelectorAll('#terminal .xterm-rows > div')).map((div) => (div.textContent ?? '').replace(/\s+$/, ''));
    while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
    return rows;
  });
}

const gated = (processId: string, gate: string, lines: number): CommandProcess => {
  const args = [fixture('gated-output.js')];
  for (let i = 0; i < lines; i += 1) args.push('--out', `${processId} line ${i}\n`);
  args.push('--wait', gate, '--out', `${processId} done\n`);
  return new CommandProcess({ command: process.execPath, args, processId });
};

describeWithTool('chromium', 'the dashboard page in Chromium', () => {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: toolPath('chromium'),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
  }, 30_000);
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  });
  afterEach(async () => {
    await page.close();
    await Promise.all(servers.splice(0).map((server) => server.close()));
    dirs.cleanup();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows rows appearing and changing live while processes run, and a process\'s output in order in its terminal', async () => {
    const cwd = dirs.make();
    const gate = join(cwd, 'gate');
    const plan: Plan = { phases: [{ name: 'gated work', strategy: 'parallel', processes: [gated('alpha', gate, 12), gated('beta', gate, 3)], options: { maxWorkers: 2 } }] };
    const board = await serve(dashboard(orchestrate(plan)));
    await page.goto(board.url);
    await page.waitForFunction(() => document.querySelectorAll('tr.process').length === 2);
    await eventually(() => rowText('alpha'), (value) => expect(value).toMatch(/^alpha \| running \| .* \| alpha line 11$/), 15_000);
    expect(await page.textContent('tr.group')).toContain('gated work');
    expect(await page.textContent('#stats')).toMatch(/running 2/);
    await page.click('tr.process[data-id="alpha"]');
    await eventually(terminalLines, (value) => expect(value).toEqual(Array.from({ length: 12 }, (_, i) => `alpha line ${i}`)), 15_000);
    writeFileSync(gate, '');
    await eventually(() => rowText('alpha'), (value) => expect(value).toMatch(/^alpha \| succeeded \| .* \| 0 \| .*alpha done$/), 15_000);
    await eventually(terminalLines, (value) => expect(value).toEqual([...Array.from({ length: 12 }, (_, i) => `alpha line ${i}`), 'alpha done']));
    await eventually(() => page.textContent('#run-state'), (value) => expect(value).toBe('succeeded'));
    expect(await page.textContent('#stats')).toMatch(/succeeded 2/);
  }, 30_000);

  it('renders a child\'s bytes as data: colours and carriage returns in the terminal, markup as text', async () => {
    const events = new Subject<DashboardEvent>();
    const board = await serve(dashboard(events));
    const at = Date.now();
    events.next({ type: 'start', processId: 'tty', pid: 1, command: 'tty', args: [], at });
    events.next({ type: 'output', processId: 'tty', stream: 'stdout', chunk: '\x1b[31mred\x1b[0m\nprogress 10%\rprogress 100%\n<img src=x id=injected>\n', at });
    await page.goto(board.url);
    await eventually(() => rowText('tty'), (value) => expect(value).toMatch(/<img src=x id=injected>$/));
    await page.click('tr.process[data-id="tty"]');
    await eventually(terminalLines, (value) => expect(value).toEqual(['red', 'progress 100%', '<img src=x id=injected>']));
    expect(await page.locator('#terminal .xterm-rows span.xterm-fg-1').first().textContent()).toBe('red');
    expect(await page.locator('#injected').count()).toBe(0);
  });

  it('answers 403 without the token, for the page and the event stream', async () => {
    const board = await serve(dashboard(new Subject<DashboardEvent>()));
    const response = await page.goto(apiUrl(board.url, '/', { token: null }));
    expect(response?.status()).toBe(403);
    const statuses = await page.evaluate(async (urls) => Promise.all(urls.map(async (url) => (await fetch(url)).status)), [
      apiUrl(board.url, '/api/events', { token: null }),
      apiUrl(board.url, '/api/events', { token: 'not-the-token-at-all' }),
      apiUrl(board.url, '/app.js', { token: null }),
    ]);
    expect(statuses).toEqual([403, 403, 403]);
  });

  longIt('resumes after a reload without losing or repeating output', async () => {
    const events = new Subject<DashboardEvent>();
    const board = await serve(dashboard(events));
    await page.setViewportSize({ width: 1200, height: 1800 }); // the terminal shows all 40 lines
    const line = (i: number): DashboardEvent => ({ type: 'output', processId: 'r', stream: 'stdout', chunk: `r line ${i}\n`, at: Date.now() });
    events.next({ type: 'start', processId: 'r', pid: 1, command: 'r', args: [], at: Date.now() });
    for (let i = 0; i < 20; i += 1) events.next(line(i));
    await page.goto(board.url);
    await page.click('tr.process[data-id="r"]');
    await eventually(terminalLines, (value) => expect(value).toHaveLength(20));
    await page.reload();
    for (let i = 20; i < 30; i += 1) events.next(line(i));
    await page.click('tr.process[data-id="r"]');
    for (let i = 30; i < 40; i += 1) events.next(line(i));
    const expected = Array.from({ length: 40 }, (_, i) => `r line ${i}`);
    await eventually(terminalLines, (value) => expect(value).toEqual(expected), 15_000);
    await eventually(() => rowText('r'), (value) => expect(value).toMatch(/r line 39$/));
  }, 30_000);

  longIt('says so when it is sent a resync, reloads the state and follows again', async () => {
    const events = new Subject<DashboardEvent>();
    const board = await serve(dashboard(events));
    events.next({ type: 'start', processId: 'slow', pid: 1, command: 'slow', args: [], at: Date.now() });
    // The first event stream the page opens answers with what a page that fell behind is sent.
    let first = true;
    await page.route('**/api/events?*', async (route) => {
      if (!first) return route.continue();
      first = false;
      return route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: 'event: resync\ndata: {}\n\n' });
    });
    await page.goto(board.url);
    await eventually(() => page.textContent('#notice'), (value) => expect(value).toContain('fell behind'));
    events.next({ type: 'output', processId: 'slow', stream: 'stdout', chunk: 'after the resync\n', at: Date.now() });
    await eventually(() => rowText('slow'), (value) => expect(value).toMatch(/after the resync$/));
  }, 30_000);

  longIt('stays usable with 50 processes: every row, their states, the filter', async () => {
    const processes = Array.from({ length: 50 }, (_, i) => new CommandProcess({ command: process.execPath, args: [fixture('print.js'), '--lines', '3', '--code', String(i % 10 === 0 ? 1 : 0)], processId: `p${String(i).padStart(2, '0')}` }));
    const board = await serve(dashboard(orchestrate({ phases: [{ strategy: 'parallel', processes, options: { maxWorkers: 8 } }] })));
    await page.goto(board.url);
    await eventually(() => page.textContent('#run-state'), (value) => expect(value).toBe('failed'), 30_000);
    expect(await page.locator('tr.process').count()).toBe(50);
    expect(await page.textContent('#stats')).toMatch(/processes 50.*succeeded 45.*failed 5/);
    await page.fill('#filter', 'failed');
    await eventually(() => page.locator('tr.process').count(), (value) => expect(value).toBe(5));
  }, 60_000);

  longIt('stays usable with a process that printed 100 MB: the tail first, earlier output on demand', async () => {
    const size = 100 * 1024 * 1024;
    const big = new CommandProcess({ command: process.execPath, args: [fixture('print.js'), '--bytes', String(size)], processId: 'big' });
    const board = await serve(dashboard(orchestrate({ phases: [{ strategy: 'parallel', processes: [big] }] })));
    await page.goto(board.url);
    await eventually(() => page.textContent('#run-state'), (value) => expect(value).toBe('succeeded'), 120_000);
    const lastLine = `${String(size / 64 - 1).padStart(8, '0')} abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01`;
    expect(await rowText('big')).toMatch(new RegExp(`${lastLine}$`));
    await page.click('tr.process[data-id="big"]');
    await eventually(terminalLines, (value) => expect(value[value.length - 1]).toBe(lastLine));
    // 256 Ki characters loaded: the tail of the kept 1 Mi; the rest comes on demand.
    expect(await page.textContent('#terminal-range')).toBe(`from character ${size - 256 * 1024}`);
    await page.click('#earlier');
    await eventually(() => page.textContent('#terminal-range'), (value) => expect(value).toBe(`from character ${size - 1024 * 1024} (earlier output is in the log file)`));
    expect(await page.isHidden('#earlier')).toBe(true);
    await eventually(terminalLines, (value) => expect(value[value.length - 1]).toBe(lastLine));
  }, 180_000);

  longIt('replays a finished session so that it matches its summary.json', async () => {
    const cwd = dirs.make();
    const node = (processId: string, ...args: string[]): CommandProcess => new CommandProcess({ command: process.execPath, args, processId });
    const plan: Plan = { phases: [{ name: 'mixed', strategy: 'parallel', processes: [node('fine', fixture('print.js'), '--lines', '4'), node('broken', fixture('exit.js'), '7')] }] };
    const last = (await lastValueFrom(orchestrate(plan, { session: { patternName: 'browser-replay', cwd } }))) as SummaryEvent;
    const summary = JSON.parse(readFileSync(join(last.sessionDir as string, 'summary.json'), 'utf8')) as SessionSummary;
    const server = await serve(sessionsDashboard({ logRoot: join(cwd, '.claude', 'runtime', 'logs') }));
    await page.goto(server.url);
    await page.click(`a:text("${summary.sessionId}")`);
    await eventually(() => page.textContent('#run-state'), (value) => expect(value).toBe('failed'));
    for (const result of summary.results) {
      const state = result.exitCode === 0 ? 'succeeded' : 'failed';
      expect(await rowText(result.processId)).toMatch(new RegExp(`^${result.processId} \\| ${state} \\| .* \\| ${result.exitCode} \\|`));
    }
    expect(await page.textContent('#stats')).toMatch(new RegExp(`succeeded ${summary.counts.succeeded}.*failed ${summary.counts.failed}`));
    await page.click('tr.process[data-id="fine"]');
    await eventually(terminalLines, (value) => expect(value).toEqual(summary.results.find((r) => r.processId === 'fine')?.output.trimEnd().split('\n')));
  }, 30_000);
});
