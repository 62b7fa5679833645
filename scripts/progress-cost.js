// What progress() and lines() cost on a chatty run: four `seq 1 500000` in parallel (2,000,000
// lines), timed without anything after the strategy, with progress() per event and throttled,
// and with lines(). Run after `npm run build`: node scripts/progress-cost.js [rounds]
const { count, from, lastValueFrom } = require('rxjs');
const { CommandProcess, lines, parallel, progress } = require('../dist/index.js');

const ids = ['seq-1', 'seq-2', 'seq-3', 'seq-4'];
const jobs = () => ids.map((processId) => new CommandProcess({ command: 'seq', args: ['1', '500000'], processId }));

async function time(label, after) {
  const start = process.hrtime.bigint();
  const emitted = await lastValueFrom(after(from(jobs()).pipe(parallel({ maxWorkers: 4 }))).pipe(count()));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(`${label.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ${emitted} emitted\n`);
}

(async () => {
  const rounds = Number(process.argv[2] ?? 3);
  for (let round = 1; round <= rounds; round += 1) {
    process.stdout.write(`round ${round}\n`);
    await time('events only', (events) => events);
    await time('progress() per event', (events) => events.pipe(progress({ processes: ids })));
    await time('progress({ throttle: 100 })', (events) => events.pipe(progress({ processes: ids, throttle: 100 })));
    await time('lines()', (events) => events.pipe(lines()));
  }
})();
