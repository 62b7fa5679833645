#!/usr/bin/env node
// Before/after: one bench scenario run from this checkout and from another one (an earlier
// commit, built), alternately, each run a fresh Node process timed whole, and the ratio
// this / other per pair. Machines drift; pairs taken back to back do not.
//
//   node bench/compare.js --other ../rxo-before --scenario spawn --variant ours [--pairs 7] [--extra "--count 500"]
//
// Prints each pair's wall times and ratio, then the median, minimum and maximum ratio. Both
// checkouts must be built (`npm run build`); each scenario requires `rx-orchestration` from its
// own checkout, so the two runs differ only in the library.
const { spawnSync } = require('node:child_process');
const { join, resolve } = require('node:path');
const { args } = require('./lib');

const { other, scenario, variant, pairs: pairsText = '7', extra = '' } = args();
if (!other || !scenario || !variant) {
  process.stderr.write('usage: node bench/compare.js --other <checkout> --scenario <name> --variant <variant> [--pairs N] [--extra "<args>"]\n');
  process.exit(2);
}
const pairs = Number(pairsText);
const extraArgs = extra.split(' ').filter(Boolean);

function timed(checkout) {
  const script = join(resolve(checkout), 'bench', 'scenarios', `${scenario}.js`);
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [script, '--variant', variant, ...extraArgs], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) {
    process.stderr.write(`${script} --variant ${variant} failed (${run.status ?? run.signal}):\n${run.stderr}`);
    process.exit(1);
  }
  return seconds;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const here = resolve(__dirname, '..');
timed(here); // warm-up: the file cache, the lifeline binary
timed(other);
const ratios = [];
for (let i = 0; i < pairs; i += 1) {
  // Alternate which goes first, so a drift within a pair favours neither.
  const [a, b] = i % 2 === 0 ? [timed(here), timed(other)] : ((x, y) => [y, x])(timed(other), timed(here));
  ratios.push(a / b);
  process.stdout.write(`pair ${i + 1}: this ${a.toFixed(3)} s, other ${b.toFixed(3)} s, ratio ${(a / b).toFixed(3)}\n`);
}
process.stdout.write(`${scenario} ${variant}: ratio this/other median ${median(ratios).toFixed(3)} (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)}) over ${pairs} pairs\n`);
