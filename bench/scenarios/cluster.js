// Remote runs (issue 14): the same work through BullMQ/Redis and two local workers against local
// runs. The remote variants start their own redis-server on a free loopback port (a temp
// directory, no persistence) and two `orchestrate worker` processes, and stop them after.
//   local-jobs / remote-jobs        `jobs` x /bin/true, `concurrency` at once: seconds, jobs/s
//   local-latency / remote-latency  one chatty process (chatty.js): write-to-subscriber delay of
//                                   each line, p50 / p99 / max in ms
const { spawn } = require('node:child_process');
const { rmSync } = require('node:fs');
const { join } = require('node:path');
const { args, check, report } = require('../lib');

const { variant, jobs: jobsText = '200', concurrency: concurrencyText = '16', duration: durationText = '2000' } = args();
const jobs = Number(jobsText);
const concurrency = Number(concurrencyText);
const secret = 'bench-cluster-secret-0123456789';
const main = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const { startLocalRedis } = require('../../scripts/local-redis');
const now = () => performance.timeOrigin + performance.now();

/** redis-server and two workers; resolves { url, stop }. */
async function cluster() {
  const { url, child, dir } = await startLocalRedis('rxo-bench-cluster-');
  const children = [child];
  const ready = (child) => new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (data) => {
      out += data;
      if (/^ready /m.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
  });
  const workers = [0, 1].map(() => spawn(process.execPath, [main, 'worker', '--redis', url, '--concurrency', String(Math.ceil(concurrency / 2))], { env: { ...process.env, RXO_CLUSTER_SECRET: secret }, stdio: ['ignore', 'pipe', 'inherit'] }));
  children.push(...workers);
  await Promise.all(workers.map(ready));
  const stop = async () => {
    await Promise.all(children.map((child) => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGKILL');
    })));
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, stop };
}

function runAll(processes, onEvent) {
  const { from } = require('rxjs');
  const { parallel } = require('rx-orchestration');
  return new Promise((resolve, reject) => {
    from(processes).pipe(parallel({ maxWorkers: concurrency })).subscribe({ next: onEvent, error: reject, complete: resolve });
  });
}

async function measureJobs(make) {
  let ok = 0;
  const started = now();
  await runAll(Array.from({ length: jobs }, (_, i) => make({ kind: 'command', processId: `j${i}`, command: '/bin/true' })), (event) => {
    if (event.type === 'result' && event.result.exitCode === 0) ok += 1;
  });
  const seconds = (now() - started) / 1000;
  check(ok === jobs, `${ok} of ${jobs} jobs succeeded`);
  return { seconds, jobsPerSecond: jobs / seconds };
}

async function measureLatency(make) {
  const { LineEngine } = require('rx-orchestration/toolkit');
  const lines = new LineEngine();
  const delays = [];
  await runAll([make({ kind: 'command', processId: 'chatty', command: process.execPath, args: [join(__dirname, 'chatty.js'), '2', durationText] })], (event) => {
    if (event.type !== 'output') return;
    for (const line of lines.push(event.chunk)) delays.push(now() - Number(line.slice(0, line.indexOf(' '))));
  });
  check(delays.length > 10, `only ${delays.length} lines timed`);
  const sorted = delays.sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { p50: at(50), p99: at(99), max: sorted[sorted.length - 1], lines: sorted.length };
}

async function run() {
  const { fromSpec } = require('rx-orchestration');
  const [where, what] = variant.split('-');
  const measure = what === 'jobs' ? measureJobs : measureLatency;
  if (where === 'local') return measure((spec) => fromSpec(spec));
  const { remote } = require('rx-orchestration/toolkit');
  const { url, stop } = await cluster();
  try {
    return await measure((spec) => remote(spec, { redis: url, secret }));
  } finally {
    await stop();
  }
}

run().then(
  (figures) => {
    report(figures);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(2);
  },
);
