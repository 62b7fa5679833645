// Progress: snapshots of a parallel run (counts, elapsed, ETA, where each process stands and its
// last line), printed whenever the counts change, as a progress bar or status board would use them.
import { from, last, share } from 'rxjs';
import { CommandProcess, parallel, progress, type ProgressSnapshot } from 'rx-orchestration';

// Four builds of different lengths; each prints a step line, then "built in N ms".
const jobs = [300, 900, 500, 700].map(
  (ms, i) =>
    new CommandProcess({
      command: process.execPath,
      args: ['-e', `console.log('step 1 of job-${i + 1}'); setTimeout(() => console.log('built in ${ms} ms'), ${ms})`],
      processId: `job-${i + 1}`,
    }),
);

const seconds = (ms: number | null): string => (ms === null ? '?' : `${(ms / 1000).toFixed(1)}s`);
const snapshots$ = from(jobs).pipe(parallel({ maxWorkers: 2 }), progress({ processes: jobs, intervalMs: 200 }), share());

let shown = '';
snapshots$.subscribe((s: ProgressSnapshot) => {
  const counts = `${s.succeeded + s.failed}/${s.total} done, ${s.running} running, ${s.queued} queued`;
  if (counts === shown) return; // ticks and output lines: print only when the counts change
  shown = counts;
  const running = s.processes.filter((p) => p.state === 'running').map((p) => `${p.processId} (${p.lastLine || 'starting'})`);
  console.log(`[${seconds(s.elapsedMs)}] ${counts}; ETA ${seconds(s.etaMs)}${running.length ? `; running: ${running.join(', ')}` : ''}`);
});

snapshots$.pipe(last()).subscribe((s) => {
  console.log('\nfinal:');
  for (const p of s.processes) console.log(`  ${p.processId.padEnd(6)} ${p.state.padEnd(9)} ${seconds(p.elapsedMs).padStart(5)}  ${p.lastLine}`);
  process.exitCode = s.succeeded === s.total ? 0 : 1;
});
