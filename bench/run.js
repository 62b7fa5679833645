#!/usr/bin/env node
// `npm run bench`: each scenario against its baseline in the same run, alternating, several
// repetitions; prints medians and the ratio ours / baseline as a markdown table.
//
//   node bench/run.js [--smoke] [--reps N] [--only id,id] [--json file]
//
// Every measurement is a fresh Node process (bench/scenarios/*.js), so memory and GC state never
// carry over from one run to the next. --smoke: small sizes, for CI; it checks that the harness
// and every scenario work, never a ratio. The exit code is non-zero only when a scenario broke.
const { spawnSync } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const { cpus, loadavg } = require('node:os');
const { join } = require('node:path');
const { scenarioList } = require('./plan');

function parseArgs(argv) {
  const options = { smoke: false, reps: undefined, only: undefined, json: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--smoke') options.smoke = true;
    else if (arg === '--reps') options.reps = Number(argv[++i]);
    else if (arg === '--only') options.only = argv[++i].split(',');
    else if (arg === '--json') options.json = argv[++i];
    else throw new Error(`unknown argument ${arg} (use --smoke, --reps N, --only id,id, --json file)`);
  }
  if (options.reps !== undefined && !(Number.isInteger(options.reps) && options.reps > 0)) {
    throw new Error(`--reps must be a positive integer, received ${options.reps}`);
  }
  return options;
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** GNU parallel for its reference row: installed from apt when missing and we are root. */
function ensureParallel(smoke) {
  if (has('parallel')) return undefined;
  if (smoke) return 'not installed (smoke mode does not install it)';
  if (process.getuid?.() !== 0) return 'not installed (install it with apt-get install -y parallel)';
  process.stderr.write('GNU parallel is missing: apt-get install -y parallel\n');
  const install = () => spawnSync('apt-get', ['install', '-y', 'parallel'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300000 });
  if (install().status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'ignore', timeout: 300000 });
    install();
  }
  return has('parallel') ? undefined : 'not installed (apt-get install -y parallel failed)';
}

/** Runs one measurement in a fresh Node process; returns its figures or throws. */
function measure(script, variant, args) {
  const argv = [join(__dirname, 'scenarios', script), '--variant', variant];
  for (const [key, value] of Object.entries(args)) argv.push(`--${key}`, String(value));
  const run = spawnSync(process.execPath, argv, { encoding: 'utf8', timeout: 600000, maxBuffer: 64 * 1024 * 1024 });
  const lines = (run.stdout ?? '').trim().split('\n');
  if (run.status !== 0) {
    throw new Error(`${script} ${variant} failed (exit ${run.status}, signal ${run.signal}): ${(run.stderr ?? '').trim().slice(-2000)}`);
  }
  return JSON.parse(lines[lines.length - 1]);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function medians(runs) {
  const out = {};
  for (const key of Object.keys(runs[0])) out[key] = median(runs.map((r) => r[key]));
  return out;
}

function runScenario(scenario, reps, unavailable) {
  const rows = scenario.rows.map((row) => ({ ...row, runs: [], skipped: row.needs ? unavailable[row.needs] : undefined }));
  const active = rows.filter((row) => !row.skipped);
  for (let rep = 0; rep < reps; rep += 1) {
    // Alternate the order, so that neither side always runs on a warmer (or busier) machine.
    const order = rep % 2 === 0 ? active : [...active].reverse();
    for (const row of order) {
      const figures = measure(scenario.script, row.variant, { ...scenario.args, ...row.args });
      row.runs.push(figures);
      process.stderr.write(`  ${scenario.id} ${row.label}: ${JSON.stringify(figures)}\n`);
    }
  }
  for (const row of active) row.median = medians(row.runs);
  return { ...scenario, rows };
}

function format(value, digits = 2) {
  if (value === undefined || Number.isNaN(value)) return '';
  return value >= 100 ? value.toFixed(0) : value.toFixed(digits);
}

/** Rows compared with the baseline: every row marked `ours` (a scenario may have several). */
function oursRows(result) {
  return result.rows.filter((r) => r.role === 'ours' && r.median);
}

function table(results) {
  const lines = ['| scenario | variant | median | ours / baseline | target | met |', '|---|---|---|---|---|---|'];
  for (const result of results) {
    const base = result.rows.find((r) => r.role === 'baseline');
    for (const row of result.rows) {
      const shown = row.skipped ?? result.show(row.median);
      const isOurs = row.role === 'ours';
      const ratio = isOurs && base?.median ? format(result.ratio(row.median, base.median)) : '';
      const verdict = isOurs ? (result.verdict(row.median, base?.median) ? 'yes' : 'no') : '';
      lines.push(`| ${row === result.rows[0] ? result.title : ''} | ${row.label} | ${shown} | ${ratio} | ${isOurs ? result.target : ''} | ${verdict} |`);
    }
  }
  return lines.join('\n');
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const reps = options.reps ?? (options.smoke ? 1 : 5);
  const all = scenarioList(options.smoke);
  const chosen = options.only ? all.filter((s) => options.only.includes(s.id)) : all;
  if (chosen.length === 0) throw new Error(`no scenario named ${options.only}; ids: ${all.map((s) => s.id).join(', ')}`);
  const unavailable = {};
  if (chosen.some((s) => s.rows.some((r) => r.needs === 'parallel'))) unavailable.parallel = ensureParallel(options.smoke);
  if (!has('redis-server')) unavailable['redis-server'] = 'skipped: redis-server is not on PATH (apt-get install -y redis-server)';
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadBefore: loadavg() };
  const started = Date.now();
  process.stderr.write(`bench: ${options.smoke ? 'smoke mode, ' : ''}${reps} repetition(s), ${chosen.length} scenario(s), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  const results = [];
  let broken = 0;
  for (const scenario of chosen) {
    try {
      results.push(runScenario(scenario, Math.min(scenario.reps ?? reps, reps), unavailable));
    } catch (error) {
      broken += 1;
      process.stderr.write(`bench: scenario ${scenario.id} broke: ${error.message}\n`);
    }
  }
  machine.loadAfter = loadavg();
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`\n${table(results)}\n\n`);
  process.stdout.write(`node ${machine.node}, ${machine.cpus} cores, ${reps} repetition(s) per variant, medians; load average ${machine.loadBefore[0].toFixed(2)} before, ${machine.loadAfter[0].toFixed(2)} after; ${seconds.toFixed(0)} s.\n`);
  if (options.json) {
    const json = results.map((r) => {
      const base = r.rows.find((x) => x.role === 'baseline')?.median;
      const compared = oursRows(r).map((row) => ({ variant: row.label, ratio: base ? r.ratio(row.median, base) : null, met: r.verdict(row.median, base) }));
      return {
        id: r.id,
        title: r.title,
        target: r.target,
        // The first row of ours (the scenario's headline), then every row of ours.
        ratio: compared[0]?.ratio ?? null,
        met: compared.every((c) => c.met),
        compared,
        rows: r.rows.map((row) => ({ variant: row.label, role: row.role ?? 'reference', skipped: row.skipped ?? null, median: row.median ?? null, runs: row.runs })),
      };
    });
    writeFileSync(options.json, `${JSON.stringify({ machine, smoke: options.smoke, reps, seconds, scenarios: json }, null, 2)}\n`);
    process.stdout.write(`figures written to ${options.json}\n`);
  }
  if (broken > 0) {
    process.stderr.write(`bench: ${broken} scenario(s) broke\n`);
    process.exitCode = 1;
  }
}

main();
