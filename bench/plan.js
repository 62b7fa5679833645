// What `npm run bench` measures: each scenario names the script that measures it, the variant
// that is ours, its baseline, reference rows, and the target. Sizes shrink in smoke mode.

const s = (value) => `${value.toFixed(2)} s`;
const sc = (m) => (m.cpu === undefined ? s(m.seconds) : `${s(m.seconds)} (cpu ${s(m.cpu)})`);
const mbps = (value) => `${value.toFixed(0)} MB/s`;
const mib = (value) => `${value.toFixed(0)} MiB`;
const timeRatio = (ours, base) => ours.seconds / base.seconds;
const rateRatio = (ours, base) => ours.mbps / base.mbps;

/** A timed scenario whose ratio of wall times must stay at or under `limit`. */
const timeAtMost = (limit) => ({
  show: sc,
  ratio: timeRatio,
  target: `at most ${limit}`,
  verdict: (ours, base) => timeRatio(ours, base) <= limit,
});

/** A throughput scenario whose ratio of MB/s must reach `floor`. */
const rateAtLeast = (floor) => ({
  show: (m) => `${mbps(m.mbps)} (cpu ${s(m.cpu)})`,
  ratio: rateRatio,
  target: `at least ${floor}`,
  verdict: (ours, base) => rateRatio(ours, base) >= floor,
});

function scenarioList(smoke) {
  const spawnCount = smoke ? 40 : 500;
  const throughputBytes = smoke ? 20e6 : 200e6;
  const memoryBytes = smoke ? 100e6 : 1e9;
  const scaleCount = smoke ? 200 : 10000;
  const scaleWorkers = smoke ? 50 : 500;
  const mb = (bytes) => (bytes >= 1e9 ? `${bytes / 1e9} GB` : `${bytes / 1e6} MB`);
  return [
    {
      id: 'spawn',
      title: `1. spawn overhead: ${spawnCount} x /bin/true, 8 at a time`,
      script: 'spawn.js',
      args: { count: spawnCount, workers: 8 },
      rows: [
        { role: 'ours', variant: 'ours', label: 'runParallel, CommandProcess (pipes), no log' },
        { role: 'ours', variant: 'ours-logdir', label: 'runParallel, CommandProcess, logDir' },
        { role: 'ours', variant: 'ours-session', label: 'runParallel, CommandProcess, session log' },
        { role: 'baseline', variant: 'node', label: 'child_process.spawn loop' },
        { variant: 'xargs', label: 'xargs -P8 (reference)' },
        { variant: 'parallel', label: 'GNU parallel -j8 (reference)', needs: 'parallel' },
      ],
      ...timeAtMost(1.15),
    },
    {
      id: 'spawn-claude',
      title: `1c. ClaudeProcess spawn overhead: ${spawnCount} x a stream-json fixture (sh printing a result line), 8 at a time`,
      script: 'spawn.js',
      args: { count: spawnCount, workers: 8 },
      rows: [
        { role: 'ours', variant: 'claude', label: 'runParallel, ClaudeProcess, no log' },
        { role: 'ours', variant: 'claude-logdir', label: 'runParallel, ClaudeProcess, logDir' },
        { role: 'ours', variant: 'claude-session', label: 'runParallel, ClaudeProcess, session log' },
        { role: 'baseline', variant: 'node-claude', label: 'child_process.spawn loop of the fixture' },
      ],
      ...timeAtMost(1.15),
    },
    {
      id: 'terminal',
      title: `2. terminal mode: ${spawnCount} x /bin/true, 8 at a time`,
      script: 'spawn.js',
      args: { count: spawnCount, workers: 8 },
      rows: [
        { role: 'ours', variant: 'ours-terminal', label: 'runParallel, terminal: true' },
        { role: 'baseline', variant: 'pty', label: 'node-pty loop' },
      ],
      ...timeAtMost(1.2),
    },
    {
      id: 'throughput-pipe',
      title: `3a. throughput, pipes: one process writing ${mb(throughputBytes)}`,
      script: 'throughput.js',
      args: { bytes: throughputBytes },
      rows: [
        { role: 'ours', variant: 'ours-pipe', label: 'CommandProcess' },
        { role: 'baseline', variant: 'raw-pipe', label: 'child_process.spawn, bytes counted' },
        { variant: 'raw-pipe-text', label: 'child_process.spawn, decoded to text (reference)' },
      ],
      ...rateAtLeast(0.85),
    },
    {
      id: 'throughput-terminal',
      title: `3b. throughput, terminal: one process writing ${mb(throughputBytes)}`,
      script: 'throughput.js',
      args: { bytes: throughputBytes },
      rows: [
        { role: 'ours', variant: 'ours-terminal', label: 'CommandProcess, terminal: true' },
        { role: 'baseline', variant: 'raw-pty', label: 'node-pty, characters counted' },
      ],
      ...rateAtLeast(0.85),
    },
    {
      id: 'latency',
      title: '4. latency: write to subscriber, 8 chatty processes (p50 / p99)',
      script: 'latency.js',
      args: { processes: 8, duration: smoke ? 1000 : 3000, interval: 2 },
      rows: [
        { role: 'ours', variant: 'ours', label: 'parallel() events + LineEngine' },
        { role: 'baseline', variant: 'raw', label: 'child_process.spawn, lines by hand' },
      ],
      show: (m) => `${m.p50.toFixed(2)} / ${m.p99.toFixed(2)} ms`,
      ratio: (ours, base) => ours.p99 / base.p99,
      target: 'p99 under 10 ms',
      verdict: (ours) => ours.p99 < 10,
    },
    {
      id: 'memory',
      title: `5. memory: one process writing ${mb(memoryBytes)}, host peak RSS`,
      script: 'throughput.js',
      args: { bytes: memoryBytes },
      reps: smoke ? 1 : 3,
      rows: [
        { role: 'ours', variant: 'ours-pipe', label: 'CommandProcess, default maxBuffer (16 Mi)' },
        { role: 'baseline', variant: 'raw-pipe', label: 'child_process.spawn, bytes counted' },
        { variant: 'ours-pipe', label: 'CommandProcess, maxBuffer 1 Mi (reference)', args: { maxBuffer: 1048576 } },
      ],
      show: (m) => `${mib(m.peakRssMiB)} (${m.seconds.toFixed(1)} s)`,
      ratio: (ours, base) => ours.peakRssMiB / base.peakRssMiB,
      target: 'under 200 MiB',
      verdict: (ours) => ours.peakRssMiB < 200,
    },
    {
      id: 'logging',
      title: `6. logging cost: scenario 3a with a full log file per process`,
      script: 'throughput.js',
      args: { bytes: throughputBytes },
      rows: [
        { role: 'ours', variant: 'ours-pipe-log', label: 'CommandProcess, logDir set' },
        { role: 'baseline', variant: 'ours-pipe', label: 'CommandProcess, no log' },
      ],
      ...rateAtLeast(0.8),
    },
    {
      id: 'scale',
      title: `7. scale: ${scaleCount} x /bin/true, ${scaleWorkers} at a time`,
      script: 'spawn.js',
      args: { count: scaleCount, workers: scaleWorkers },
      reps: 3,
      rows: [
        { role: 'ours', variant: 'ours', label: 'runParallel (pipes)' },
        { role: 'baseline', variant: 'node', label: 'child_process.spawn loop' },
      ],
      show: (m) => `${sc(m)}, peak RSS ${mib(m.peakRssMiB)}, fds ${m.fdsBefore} -> ${m.fdsAfter}`,
      ratio: timeRatio,
      target: 'host peak RSS under 300 MiB, descriptors back to the start',
      verdict: (ours) => ours.peakRssMiB < 300 && ours.fdsAfter === ours.fdsBefore,
    },
    {
      id: 'lifeline',
      title: `8. lifeline cost: scenario 1 with and without the parent-death supervisor`,
      script: 'spawn.js',
      args: { count: spawnCount, workers: 8 },
      rows: [
        { role: 'ours', variant: 'ours', label: 'runParallel (pipes), lifeline on' },
        { role: 'baseline', variant: 'ours-no-lifeline', label: 'runParallel (pipes), RXO_LIFELINE=0' },
        { variant: 'ours-terminal', label: 'runParallel, terminal: true, lifeline on (reference)' },
        { variant: 'ours-terminal-no-lifeline', label: 'runParallel, terminal: true, RXO_LIFELINE=0 (reference)' },
      ],
      ...timeAtMost(1.25),
    },
    {
      id: 'spawner',
      title: `9. fast spawner (issue 12.3): scenario 1 with RXO_SPAWNER=fast (posix_spawn addon)`,
      script: 'spawn.js',
      args: { count: spawnCount, workers: 8 },
      rows: [
        { role: 'ours', variant: 'ours-fast', label: 'runParallel (pipes), RXO_SPAWNER=fast' },
        { role: 'baseline', variant: 'node', label: 'child_process.spawn loop' },
        { variant: 'fast', label: 'posix_spawn addon loop, no library (reference)' },
        { variant: 'ours-node', label: 'runParallel (pipes), RXO_SPAWNER=node (reference)' },
        { variant: 'xargs', label: 'xargs -P8 (reference)' },
        { variant: 'parallel', label: 'GNU parallel -j8 (reference)', needs: 'parallel' },
      ],
      ...timeAtMost(0.7),
    },
    {
      id: 'spawner-floor',
      title: `10. fast spawner against the C floor: scenario 9 against xargs -P8`,
      script: 'spawn.js',
      args: { count: spawnCount, workers: 8 },
      rows: [
        { role: 'ours', variant: 'ours-fast', label: 'runParallel (pipes), RXO_SPAWNER=fast' },
        { role: 'baseline', variant: 'xargs', label: 'xargs -P8' },
        { variant: 'fast', label: 'posix_spawn addon loop, no library (reference)' },
      ],
      ...timeAtMost(1.5),
    },
    ...clusterScenarios(smoke),
  ];
}

/** Remote runs through Redis and two local workers (issue 14); rows need redis-server. */
function clusterScenarios(smoke) {
  const jobs = smoke ? 40 : 400;
  const either = (value) => value === undefined;
  return [
    {
      id: 'cluster-jobs',
      title: `11a. remote runs: ${jobs} x /bin/true, 16 at a time, through Redis and 2 local workers`,
      script: 'cluster.js',
      args: { jobs, concurrency: 16 },
      reps: smoke ? 1 : 3,
      rows: [
        { role: 'ours', variant: 'remote-jobs', label: 'remote() on 2 workers (BullMQ)', needs: 'redis-server' },
        { role: 'baseline', variant: 'local-jobs', label: 'fromSpec(), local' },
      ],
      show: (m) => `${m.jobsPerSecond.toFixed(0)} jobs/s (${s(m.seconds)})`,
      ratio: (ours, base) => (either(ours) ? Number.NaN : ours.jobsPerSecond / base.jobsPerSecond),
      target: 'at least 0.5 of local',
      verdict: (ours, base) => !either(ours) && !either(base) && ours.jobsPerSecond / base.jobsPerSecond >= 0.5,
    },
    {
      id: 'cluster-latency',
      title: '11b. remote output latency: write to subscriber through Redis (p50 / p99)',
      script: 'cluster.js',
      args: { duration: smoke ? 1000 : 3000 },
      reps: smoke ? 1 : 3,
      rows: [
        { role: 'ours', variant: 'remote-latency', label: 'remote() events', needs: 'redis-server' },
        { role: 'baseline', variant: 'local-latency', label: 'fromSpec() events, local' },
      ],
      show: (m) => `${m.p50.toFixed(2)} / ${m.p99.toFixed(2)} ms`,
      ratio: (ours, base) => (either(ours) ? Number.NaN : ours.p99 / base.p99),
      target: 'p99 under 20 ms',
      verdict: (ours) => !either(ours) && ours.p99 < 20,
    },
  ];
}

module.exports = { scenarioList };
