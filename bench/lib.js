// Helpers shared by the bench scenarios. Each scenario runs in a fresh Node process, prints one
// JSON line with its figures on stdout, and exits non-zero if what it measured was wrong
// (a missing byte, a failed process): a bench that measures a broken run measures nothing.
const { readdirSync, readFileSync } = require('node:fs');

/** Parses `--name value` pairs into an object of strings. */
function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at once; resolves when all settled. */
function pool(count, concurrency, task) {
  return new Promise((resolve, reject) => {
    let next = 0;
    let done = 0;
    const startOne = () => {
      const i = next;
      next += 1;
      task(i).then(() => {
        done += 1;
        if (done === count) resolve();
        else if (next < count) startOne();
      }, reject);
    };
    if (count === 0) resolve();
    for (let i = 0; i < Math.min(concurrency, count); i += 1) startOne();
  });
}

function check(condition, message) {
  if (!condition) {
    process.stderr.write(`bench scenario check failed: ${message}\n`);
    process.exit(3);
  }
}

/** Prints the figures and exits once the event loop is free. */
function report(figures) {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** CPU time (user + system) this process used since `before` (a process.cpuUsage()), in seconds. */
function cpuSeconds(before) {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/** CPU time (user + system) of every descendant that has ended and was waited for, in seconds (Linux). */
function childCpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of stat(5) (cutime, cstime) are at 13 and 14 once pid and comm are cut off.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function openFds() {
  return readdirSync('/proc/self/fd').length;
}

/** Peak resident set size of this process so far, in MiB. */
function peakRssMiB() {
  return process.resourceUsage().maxRSS / 1024;
}

/** A shell command writing `bytes` bytes of 100-character lines to stdout, fast (yes | head). */
function writerCommand(bytes) {
  const line = 'rx-orchestration bench line '.padEnd(99, 'x');
  return ['sh', ['-c', `yes '${line}' | head -c ${bytes}`]];
}

module.exports = { args, cpuSeconds, childCpuSeconds, pool, check, report, openFds, peakRssMiB, writerCommand };
