/**
 * Nothing lost when a worker goes: a worker killed with SIGKILL mid-run (BullMQ's stalled-job
 * detection hands its jobs to the others; each client sees a `restart` naming both workers and
 * exactly one result), a worker stopped with SIGTERM (it hands its running job back after its
 * grace), and Redis itself restarted mid-run with AOF on (everyone reconnects; not one line lost
 * or doubled). Plain runs use small sizes; LONG_TESTS runs the 200 jobs over 3 workers.
 */
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import { startWorker } from '../../src/cluster/cluster-worker';
import { listWorkers } from '../../src/cluster/live-workers';
import { remote, type RemoteOptions } from '../../src/cluster/remote';
import type { RestartEvent, ResultEvent } from '../../src/events/types';
import { parallel } from '../../src/strategies/parallel';
import { collect, describeWithTool, LONG_TESTS, makeTempDir, removeDir, waitFor } from '../helpers';
import { SECRET, startRedis, startWorkerProcess, stopAll, type RedisServer, type WorkerProcess } from './redis-harness';

const FAST_LOCK = ['--lock-duration', '1'];

/**
 * Polls the live workers until one of `among` holds a job; resolves its id. Only this test's
 * workers count: a worker an earlier test killed with SIGKILL stays listed, with the jobs it held,
 * until its heartbeat is three beats old.
 */
async function busyWorker(url: string, among: readonly WorkerProcess[], timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const ids = new Set(among.map((entry) => entry.id));
  for (;;) {
    const busy = (await listWorkers({ redis: url })).find((entry) => ids.has(entry.id) && entry.jobs.length > 0);
    if (busy) return busy.id;
    if (Date.now() > deadline) throw new Error(`no worker held a job within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const shell = (processId: string, script: string) => ({ kind: 'command', processId, command: 'sh', args: ['-c', script] });

describeWithTool('redis-server', 'workers dying, stopping, and Redis restarting', () => {
  let dir: string;
  let redis: RedisServer;
  let options: RemoteOptions;
  const started: WorkerProcess[] = [];
  const worker = async (extra: readonly string[] = []): Promise<WorkerProcess> => {
    const process = await startWorkerProcess(redis.url, [...FAST_LOCK, ...extra]);
    started.push(process);
    return process;
  };

  beforeAll(async () => {
    dir = makeTempDir('rxo-cluster-death-');
    redis = await startRedis(dir, { aof: true });
    options = { redis: redis.url, secret: SECRET };
  });
  afterEach(async () => {
    await stopAll(started.splice(0));
  });
  afterAll(async () => {
    await redis?.stop();
    removeDir(dir);
  });

  const jobs = LONG_TESTS ? 200 : 8;
  it(`${jobs} jobs over 3 workers, one killed with SIGKILL mid-run: ${jobs} results, each id once, none lost`, async () => {
    const concurrency = ['--concurrency', LONG_TESTS ? '4' : '2'];
    const pool = await Promise.all([worker(concurrency), worker(concurrency), worker(concurrency)]);
    const processes = Array.from({ length: jobs }, (_, i) => remote(shell(`job-${i}`, `echo begin ${i}; sleep 0.3; echo end ${i}`), options));
    const done = lastValueFrom(from(processes).pipe(parallel({ maxWorkers: 12 }), toArray()));
    const busy = await busyWorker(redis.url, pool);
    const killed = pool.find((candidate) => candidate.id === busy) as WorkerProcess;
    killed.child.kill('SIGKILL');
    await killed.exited;
    const all = await done;
    const results = all.filter((event): event is ResultEvent => event.type === 'result');
    expect(results).toHaveLength(jobs);
    expect(new Set(results.map((event) => event.processId)).size).toBe(jobs);
    for (const { processId, result } of results) {
      expect(result.exitCode).toBe(0);
      expect(result.output).toMatch(new RegExp(`end ${processId.slice(4)}\\n$`));
    }
    const restarts = all.filter((event): event is RestartEvent => event.type === 'restart');
    expect(restarts.length).toBeGreaterThan(0);
    for (const restart of restarts) {
      expect(restart.previousWorkerId).toBe(killed.id);
      expect(pool.map((entry) => entry.id)).toContain(restart.workerId);
      expect(restart.workerId).not.toBe(killed.id);
    }
  }, LONG_TESTS ? 180_000 : 60_000);

  // Plain runs keep to the budget with the SIGKILL case; LONG_TESTS (CI) adds these two.
  const long = LONG_TESTS ? it : it.skip;
  long('a worker stopped with SIGTERM hands its running job back after the grace; another finishes it, the client sees one result', async () => {
    const first = await worker(['--shutdown-grace', '0.2']);
    const done = collect(remote(shell('handed-back', 'echo begin; sleep 3; echo end'), options).events());
    expect(await busyWorker(redis.url, [first])).toBe(first.id);
    const second = await worker();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toMatch(/SIGTERM: taking no more jobs; 1 running, handed back after 0.2 s/);
    const events = await done;
    const restart = events.find((event): event is RestartEvent => event.type === 'restart');
    expect(restart).toMatchObject({ previousWorkerId: first.id, workerId: second.id, attempt: 2 });
    const results = events.filter((event): event is ResultEvent => event.type === 'result');
    expect(results).toHaveLength(1);
    expect(results[0].result).toMatchObject({ exitCode: 0, output: 'begin\nend\n' });
  });

  long('a job that lost its worker more than maxStalledCount times still gets its one result, saying the cluster gave up', async () => {
    const victim = await worker();
    const done = collect(remote(shell('given-up', 'sleep 30'), options).events());
    expect(await busyWorker(redis.url, [victim])).toBe(victim.id);
    victim.child.kill('SIGKILL');
    await victim.exited;
    const survivor = await startWorker({ redis: redis.url, secret: SECRET, maxStalledCount: 0, lockDurationMs: 1000, stalledIntervalMs: 300 });
    try {
      const results = (await done).filter((event): event is ResultEvent => event.type === 'result');
      expect(results).toHaveLength(1);
      expect(results[0].result).toMatchObject({ exitCode: 1, reason: 'error', error: 'the cluster gave up on the run: job stalled more than allowable limit' });
    } finally {
      await survivor.close({ graceMs: 0 });
    }
  });

  const count = LONG_TESTS ? 60 : 20;
  long(`Redis restarted mid-run (AOF on): the run goes on, ${count} lines arrive once each, in order, and one result`, async () => {
    const only = await worker();
    const lines: string[] = [];
    let output = '';
    const script = `i=0; while [ $i -lt ${count} ]; do echo line $i; i=$((i+1)); sleep 0.05; done`;
    const done = collect(remote(shell('through-restart', script), options).events().pipe(tap((event) => {
      if (event.type === 'output') output += event.chunk;
    })));
    await waitFor(() => output.includes('line 3\n'), 'the first lines');
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await redis.start();
    const events = await done;
    for (const event of events) if (event.type === 'output') lines.push(event.chunk);
    expect(lines.join('')).toBe(Array.from({ length: count }, (_, i) => `line ${i}\n`).join(''));
    const results = events.filter((event): event is ResultEvent => event.type === 'result');
    expect(results).toHaveLength(1);
    expect(results[0].result.exitCode).toBe(0);
    await waitFor(() => /reachable again/.test(only.stderr()), 'the worker to report Redis back');
    expect(only.stderr()).toMatch(/Redis redis:\/\/127\.0\.0\.1:\d+ unreachable/);
  }, 60_000);
});
