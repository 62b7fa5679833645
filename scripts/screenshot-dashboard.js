#!/usr/bin/env node
// Renders the dashboard of a demo run to docs/images/dashboard.png: the built-in demo plan on the
// simulated agent, served by `dashboard()`, opened in the system Chromium (headless, through
// playwright-core; no browser is downloaded), with one process's terminal open.
// Usage: npm run build && node scripts/screenshot-dashboard.js [output.png]
'use strict';
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { chromium } = require('playwright-core');
const { orchestrate } = require('../dist/index.js');
const { dashboard, demoPlan } = require('../dist/toolkit.js');
const { simulatedAgentPath } = require('../dist/testing/index.js');

const output = process.argv[2] ?? join(__dirname, '..', 'docs', 'images', 'dashboard.png');
const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();

async function main() {
  const cwd = mkdtempSync(join(tmpdir(), 'rxo-screenshot-'));
  const plan = demoPlan({ agentCommand: simulatedAgentPath });
  const board = dashboard(orchestrate(plan, { session: { patternName: 'demo', cwd } }));
  const url = await board.listen();
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-quic'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await page.goto(url);
    // Mid-run: the pipeline's last step running, its terminal following it live.
    const running = (id) => document.querySelector(`tr.process[data-id="${id}"]`)?.children[1].textContent === 'running';
    await page.waitForFunction(running, 'implement', { timeout: 60_000 });
    await page.click('tr.process[data-id="implement"]');
    await page.waitForFunction(() => (document.querySelector('#terminal .xterm-rows')?.textContent ?? '').includes('Task'), undefined, { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector('tr.process[data-id="implement"] td.last')?.textContent !== '');
    await page.screenshot({ path: output });
    await board.finished;
    process.stdout.write(`${output}\n`);
  } finally {
    await browser.close();
    await board.close();
    rmSync(cwd, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
