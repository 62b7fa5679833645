#!/usr/bin/env node
// Measures the dashboard (docs/dashboard.md, "Measured"):
//  1. events per second the page keeps up with: output events (one ~60-character line each, 20
//     processes in turn) pushed at a set rate for 4 s into a page open in the system Chromium;
//     how long after the last push the page shows it, and whether it fell behind (a resync);
//  2. the server's memory with a stalled client: a client that connected and stopped reading,
//     while the run writes 256 MiB of output.
// Usage: npm run build && node --expose-gc scripts/measure-dashboard.js [rates, e.g. 5000,10000,20000,40000]
'use strict';
const { execFileSync } = require('node:child_process');
const { connect } = require('node:net');
const { Subject } = require('rxjs');
const { chromium } = require('playwright-core');
const { dashboard } = require('../dist/toolkit.js');

const RATES = (process.argv[2] ?? '5000,10000,20000,40000').split(',').map(Number);
const SECONDS = 4;
const tick = () => new Promise((resolve) => setImmediate(resolve));
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const line = (i) => `worker ${String(i % 20).padStart(2, '0')} step ${i} ${'.'.repeat(30)}\n`;

/** Pushes `rate` output events a second for `seconds` into a page; how far behind it ended, and whether it was sent a resync. */
async function pageAtRate(browser, rate, seconds) {
  const events = new Subject();
  const board = dashboard(events);
  await board.listen();
  try {
    const page = await browser.newPage();
    for (let p = 0; p < 20; p += 1) events.next({ type: 'start', processId: `w${p}`, pid: p + 1, command: 'worker', args: [], at: Date.now() });
    await page.goto(board.url);
    await page.waitForSelector('tr.process[data-id="w19"]');
    const total = rate * seconds;
    const started = Date.now();
    for (let i = 0; i < total; ) {
      // Paced in 10 ms steps: push what is due by now.
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
      for (; i < due; i += 1) events.next({ type: 'output', processId: `w${i % 20}`, stream: 'stdout', chunk: line(i), at: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const pushedMs = Date.now() - started;
    const last = line(total - 1).trim();
    await page.waitForFunction((text) => document.querySelector(`tr.process[data-id="w${Number(text.split(' ')[3]) % 20}"] td.last`)?.textContent === text, last, { timeout: 600_000, polling: 50 });
    const lagMs = Date.now() - started - pushedMs;
    const notice = await page.textContent('#notice');
    await page.close();
    return { pushedMs, lagMs, resync: Boolean(notice && notice.includes('resync')) };
  } finally {
    await board.close();
  }
}

async function pageThroughput() {
  const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-quic'] });
  try {
    for (const rate of RATES) {
      const result = await pageAtRate(browser, rate, SECONDS);
      process.stdout.write(`page at ${rate} events/s for ${SECONDS} s: pushed in ${result.pushedMs} ms, the last shown ${result.lagMs} ms later, ${result.resync ? 'sent a resync (fell behind)' : 'no resync'}\n`);
    }
  } finally {
    await browser.close();
  }
}

async function runMemory({ stalled }) {
  const events = new Subject();
  const board = dashboard(events);
  const url = new URL(await board.listen());
  const socket = stalled ? connect(Number(url.port), url.hostname) : undefined;
  if (socket) {
    socket.write(`GET /api/events?token=${board.token} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    socket.pause();
    while (board.stats().clients === 0) await tick();
  }
  global.gc?.();
  const before = process.memoryUsage();
  const chunk = `${'z'.repeat(64 * 1024 - 1)}\n`;
  let most = 0;
  let rssMost = 0;
  for (let i = 0; i < 4096; i += 1) {
    events.next({ type: 'output', processId: `p${i % 8}`, stream: 'stdout', chunk, at: Date.now() });
    if (i % 16 === 0) {
      await tick();
      most = Math.max(most, board.stats().pendingBytes);
      rssMost = Math.max(rssMost, process.memoryUsage().rss);
    }
  }
  global.gc?.();
  const after = process.memoryUsage();
  socket?.destroy();
  await board.close();
  return { written: 4096 * chunk.length, mostPending: most, rssBefore: before.rss, rssMost, heapBefore: before.heapUsed, heapAfter: after.heapUsed };
}

async function main() {
  await pageThroughput();
  for (const stalled of [false, true]) {
    const memory = await runMemory({ stalled });
    process.stdout.write(`${stalled ? 'one stalled client' : 'no client       '}: ${mib(memory.written)} of output (8 processes); at most ${mib(memory.mostPending)} waiting for clients; heap ${mib(memory.heapBefore)} before, ${mib(memory.heapAfter)} after (what the dashboard keeps: 1 Mi characters of output per process, 16 Mi of history)\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
