// maxWorkers: 'auto': as many processes at once as the cores and the free memory allow,
// min(cores + 4, free memory / 512 MiB), at least 1. autoMaxWorkers() shows the number.
import { CommandProcess, runParallel } from 'rx-orchestration';
import { autoMaxWorkers } from 'rx-orchestration/toolkit';

async function main(): Promise<void> {
  const auto = autoMaxWorkers();
  const free = (auto.freeMemory / 2 ** 30).toFixed(1);
  console.log(`auto: ${auto.workers} at once (${auto.cores} cores + 4; ${free} GiB free / ${auto.memoryPerProcess / 2 ** 20} MiB each; limited by ${auto.limitedBy})`);
  console.log(`with 2 GiB set aside per process: ${autoMaxWorkers({ memoryPerProcess: 2 * 2 ** 30 }).workers}`);

  const jobs = Array.from({ length: 8 }, (_, i) => new CommandProcess({ command: process.execPath, args: ['-e', 'setTimeout(() => {}, 200)'], processId: `job-${i}` }));
  const results = await runParallel(jobs, { maxWorkers: 'auto' });
  console.log(`ran ${results.length} jobs with maxWorkers 'auto': ${results.filter((r) => r.exitCode === 0).length} succeeded`);
  process.exitCode = results.every((r) => r.exitCode === 0) ? 0 : 1;
}

void main();
