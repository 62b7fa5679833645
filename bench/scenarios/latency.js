// Latency: `processes` chatty children (bench/scenarios/chatty.js) run at once, each writing a
// timestamped line every few ms; for every line, the time from the child's write to the moment
// the subscriber has it as a whole line. Variants:
//   ours  parallel() events, lines cut with LineEngine
//   raw   child_process.spawn, lines cut by hand from 'data' strings
// Reports p50, p99 and max in ms, and how many lines were timed.
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { args, check, report } = require('../lib');

const { variant, processes: processesText = '8', duration: durationText = '3000', interval: intervalText = '2' } = args();
const processes = Number(processesText);
const chatty = [join(__dirname, 'chatty.js'), intervalText, durationText];
const now = () => performance.timeOrigin + performance.now();
const delays = [];

function timeLine(line) {
  const sent = Number(line.slice(0, line.indexOf(' ')));
  if (Number.isFinite(sent) && sent > 0) delays.push(now() - sent);
}

function raw() {
  const one = () =>
    new Promise((resolve, reject) => {
      let partial = '';
      const child = spawn(process.execPath, chatty, { stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (text) => {
        const lines = (partial + text).split('\n');
        partial = lines.pop();
        for (const line of lines) timeLine(line);
      });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
    });
  return Promise.all(Array.from({ length: processes }, one));
}

function ours() {
  const { from } = require('rxjs');
  const { CommandProcess, parallel } = require('rx-orchestration');
  const { LineEngine } = require('rx-orchestration/toolkit');
  const list = Array.from({ length: processes }, (_, i) => new CommandProcess({ command: process.execPath, args: chatty, processId: `c${i}` }));
  const splitters = new Map(list.map((p) => [p.processId, new LineEngine()]));
  return new Promise((resolve, reject) => {
    from(list)
      .pipe(parallel({ maxWorkers: processes }))
      .subscribe({
        next(event) {
          if (event.type === 'output') for (const line of splitters.get(event.processId).push(event.chunk)) timeLine(line);
          else if (event.type === 'result') check(event.result.exitCode === 0, `exit ${event.result.exitCode}`);
        },
        error: reject,
        complete: resolve,
      });
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  if (variant === 'ours') await ours();
  else if (variant === 'raw') await raw();
  else throw new Error(`unknown variant ${variant}`);
  check(delays.length > processes, `only ${delays.length} lines timed`);
  const sorted = [...delays].sort((a, b) => a - b);
  report({ p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1], lines: sorted.length });
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(2);
});
