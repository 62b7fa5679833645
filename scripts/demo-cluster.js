#!/usr/bin/env node
// `npm run demo:cluster`: the built-in demo's plan (parallel analysis, a sequential pipeline, a
// fallback) run remotely: a local redis-server on a free loopback port when it is on PATH (or
// the one RXO_REDIS_URL names), two `orchestrate worker` processes, the plan through
// `orchestrate(plan, { build: remoteBuilders(...) })`, then everything stopped and removed.
// The agent is the bundled simulated one: no credentials needed. Exit code: 0 when the plan succeeded.
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { rmSync } = require('node:fs');
const { join } = require('node:path');
const { orchestrate } = require('../dist/index.js');
const { demoPlan, redactRedisUrl, remoteBuilders } = require('../dist/toolkit.js');
const { startLocalRedis } = require('./local-redis');
const { simulatedAgentPath } = require('../dist/testing/index.js');

const main = join(__dirname, '..', 'dist', 'cli', 'main.js');
const children = [];
const dirs = [];

async function redis() {
  if (process.env.RXO_REDIS_URL) return process.env.RXO_REDIS_URL;
  if (spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('redis-server is not on PATH: install it (apt-get install -y redis-server) or set RXO_REDIS_URL');
  }
  const { url, child, dir } = await startLocalRedis('rxo-demo-cluster-');
  dirs.push(dir);
  children.push(child);
  console.log(`redis-server started: ${url}`);
  return url;
}

function worker(url, secret) {
  const child = spawn(process.execPath, [main, 'worker', '--redis', url, '--concurrency', '3', '--shutdown-grace', '2'], { env: { ...process.env, RXO_CLUSTER_SECRET: secret }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (data) => {
      out += data;
      const line = /^ready .*$/m.exec(out);
      if (line) resolve(line[0]);
    });
    child.once('exit', (code) => reject(new Error(`a worker exited (${code}) before it was ready`)));
  });
}

/** Stops the children, workers first (they hand their jobs back through Redis), redis-server last. */
async function cleanup() {
  const stop = (child) => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
  const [server, ...workers] = process.env.RXO_REDIS_URL ? [undefined, ...children] : children;
  await Promise.all(workers.map(stop));
  if (server) await stop(server);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

async function run() {
  const url = await redis();
  const secret = process.env.RXO_CLUSTER_SECRET || randomBytes(24).toString('hex');
  for (const line of await Promise.all([worker(url, secret), worker(url, secret)])) console.log(`worker ${line}`);
  const build = remoteBuilders({ redis: url, secret, onStatus: (text) => console.error(text) });
  const plan = demoPlan({ agentCommand: simulatedAgentPath, options: { timeoutMs: 60_000 } });
  console.log(`running the demo plan on the workers through ${redactRedisUrl(url)}`);
  const summary = await new Promise((resolve, reject) => {
    let last;
    // Output arrives as the agents write it (token by token): whole lines are printed.
    const partial = new Map();
    const printLines = (processId, chunk) => {
      const text = (partial.get(processId) ?? '') + chunk;
      const cut = text.lastIndexOf('\n');
      partial.set(processId, cut === -1 ? text : text.slice(cut + 1));
      if (cut !== -1) for (const line of text.slice(0, cut).split('\n').filter(Boolean)) console.log(`[${processId}] ${line.slice(0, 100)}`);
    };
    orchestrate(plan, { build, session: { patternName: 'demo-cluster', command: simulatedAgentPath }, log: false }).subscribe({
      next(event) {
        if (event.type === 'phase-start') console.log(`\n== ${event.phase.name}`);
        else if (event.type === 'restart') console.log(`[${event.processId}] restarted on ${event.workerId} (was ${event.previousWorkerId})`);
        else if (event.type === 'output' && event.stream === 'stdout') printLines(event.processId, event.chunk);
        else if (event.type === 'result') console.log(`[${event.processId}] ${event.result.exitCode === 0 ? 'done' : `failed: ${event.result.error}`} (${event.result.duration.toFixed(1)} s)`);
        else if (event.type === 'summary') last = event;
      },
      error: reject,
      complete: () => resolve(last),
    });
  });
  console.log(`\n${summary.results.length} processes, ${summary.succeeded ? 'the plan succeeded' : 'the plan did not succeed'}`);
  return summary.succeeded ? 0 : 1;
}

run()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(`demo:cluster: ${error.message}`);
    await cleanup();
    process.exit(1);
  });
