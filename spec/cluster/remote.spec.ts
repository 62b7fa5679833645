/**
 * Remote runs against a real Redis and two real worker processes: events in order with one
 * numbering, the strategies unchanged over workers, cancellation and a timeout reaching the
 * worker's process group, a tampered job refused and reported to its client, nothing secret in
 * clear in Redis, `--pass-env`, `orchestrate workers`, and a clear error for an unreachable Redis.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { firstValueFrom, from, lastValueFrom, filter, toArray } from 'rxjs';
import { ClusterClient } from '../../src/cluster/cluster-client';
import { makeJob } from '../../src/cluster/job-payload';
import { remote, type RemoteOptions } from '../../src/cluster/remote';
import { parallel } from '../../src/strategies/parallel';
import type { ProcessEvent, ResultEvent, StartEvent } from '../../src/events/types';
import { collect, describeWithTool, fixture, groupMembers, LONG_TESTS, makeTempDir, removeDir, waitFor } from '../helpers';
import { everythingIn, MAIN, SECRET, startRedis, startWorkerProcess, stopAll, type RedisServer, type WorkerProcess } from './redis-harness';

const node = process.execPath;
const resultsOf = (events: readonly ProcessEvent[]): ResultEvent[] => events.filter((event): event is ResultEvent => event.type === 'result');

describeWithTool('redis-server', 'remote runs on workers (real Redis, real workers)', () => {
  let dir: string;
  let redis: RedisServer;
  let workers: WorkerProcess[] = [];
  let options: RemoteOptions;

  beforeAll(async () => {
    dir = makeTempDir('rxo-cluster-');
    redis = await startRedis(dir);
    options = { redis: redis.url, secret: SECRET };
    workers = await Promise.all([startWorkerProcess(redis.url, ['--concurrency', '4']), startWorkerProcess(redis.url, ['--concurrency', '4'])]);
  });
  afterAll(async () => {
    await stopAll(workers);
    await redis?.stop();
    removeDir(dir);
  });

  const lines = LONG_TESTS ? 10_000 : 1_000;
  it(`delivers ${lines} output lines of one remote process in order, numbered once, then one result`, async () => {
    const events = await collect(remote({ kind: 'command', processId: 'lines', command: node, args: [fixture('numbered-lines.js'), String(lines)] }, options).events());
    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i));
    expect(events[0].type).toBe('start');
    const text = events.filter((event) => event.type === 'output').map((event) => (event as { chunk: string }).chunk).join('');
    expect(text).toBe(Array.from({ length: lines }, (_, i) => `line ${i}\n`).join(''));
    const results = resultsOf(events);
    expect(results).toHaveLength(1);
    expect(events[events.length - 1]).toBe(results[0]);
    expect(results[0].result).toMatchObject({ exitCode: 0, reason: 'exit', output: text });
  });

  it('runs a strategy over workers unchanged: every result once, failures as results', async () => {
    const processes = Array.from({ length: 8 }, (_, i) => remote({ kind: 'command', processId: `p${i}`, command: node, args: [fixture('exit.js'), String(i % 3 === 0 ? 2 : 0)] }, options));
    const events = await lastValueFrom(from(processes).pipe(parallel({ maxWorkers: 8 }), toArray()));
    const results = resultsOf(events);
    expect(results.map((event) => event.processId).sort()).toEqual(processes.map((p) => p.processId).sort());
    for (const { processId, result } of results) expect(result.exitCode).toBe(Number(processId.slice(1)) % 3 === 0 ? 2 : 0);
  });

  it('stops the process group on the worker within about a second of an unsubscribe', async () => {
    const events$ = remote({ kind: 'command', processId: 'cancelled', command: node, args: [fixture('sleep.js'), '60000'] }, options).events();
    let start: StartEvent | undefined;
    const subscription = events$.subscribe((event) => {
      if (event.type === 'start') start = event;
    });
    await waitFor(() => start !== undefined, 'the remote start');
    const pid = (start as StartEvent).pid;
    expect(groupMembers(pid).length).toBeGreaterThan(0);
    const cancelledAt = Date.now();
    subscription.unsubscribe();
    await waitFor(() => groupMembers(pid).length === 0, 'the group on the worker to be gone', 5000);
    expect(Date.now() - cancelledAt).toBeLessThan(1500);
  });

  it('an aborted signal gives the cancelled result from the worker', async () => {
    const controller = new AbortController();
    const events$ = remote({ kind: 'command', processId: 'aborted', command: node, args: [fixture('sleep.js'), '60000'] }, options).events({ signal: controller.signal });
    let started = false;
    const done = collect(events$.pipe(filter((event) => {
      if (event.type === 'start') started = true;
      return true;
    })));
    await waitFor(() => started, 'the remote start');
    controller.abort();
    const events = await done;
    expect(events.map((event) => event.type)).toEqual(['start', 'result']);
    expect(resultsOf(events)[0].result).toMatchObject({ cancelled: true, reason: 'cancelled' });
  });

  it('a timeout runs on the worker: the group is stopped and the result says timed out', async () => {
    const events = await collect(remote({ kind: 'command', processId: 'slow', command: node, args: [fixture('sleep.js'), '60000'] }, options).events({ timeoutMs: 400 }));
    const start = events.find((event): event is StartEvent => event.type === 'start');
    expect(resultsOf(events)[0].result).toMatchObject({ timedOut: true, reason: 'timeout', exitCode: -1 });
    expect(groupMembers((start as StartEvent).pid)).toEqual([]);
  });

  it('refuses a tampered job and reports it to its client; a job from another secret too', async () => {
    const client = new ClusterClient(options);
    const queue = new Queue('rxo', { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      await client.ready;
      const job = makeJob(client.keys, 'tampered-run', { spec: { kind: 'command', processId: 't', command: 'echo', args: ['ok'] } as never, passedEnv: {} } as never);
      const sealed = Buffer.from(job.sealed, 'base64');
      sealed[20] ^= 1;
      const first = firstValueFrom(client.watch('tampered-run'));
      await queue.add('t', { ...job, sealed: sealed.toString('base64') }, { jobId: 'tampered-run' });
      const entry = await first;
      expect(entry).toMatchObject({ refused: expect.stringMatching(/signature does not verify/), workerId: expect.stringMatching(/./) });
      const other = await collect(remote({ kind: 'command', processId: 'forged', command: 'echo', args: ['x'] }, { ...options, secret: 'not the cluster secret at all' }).events()).catch((error: Error) => error);
      expect(String(other)).toMatch(/ClusterSignatureError|refused/);
      expect(workers.some((worker) => /refused job tampered-run: job refused: its signature does not verify/.test(worker.stderr()))).toBe(true);
    } finally {
      await queue.close();
      await client.close();
    }
  });

  it('keeps secrets out of Redis: the job, its variables and its output travel sealed; only --pass-env names travel', async () => {
    const secret = 'sk-live-cluster-9f8e7d6c5b4a';
    const env = { ...process.env, PASSED_TOKEN: secret, NOT_PASSED: 'stays-on-the-client' };
    const script = 'console.log(process.env.PASSED_TOKEN, process.env.NOT_PASSED ?? "unset"); setTimeout(() => {}, 600)';
    const events$ = remote({ kind: 'command', processId: 'secretive', command: node, args: ['-e', script], env: { SPEC_API_KEY: 'spec-secret-value-1234' } }, { ...options, passEnv: ['PASSED_TOKEN'], env }).events();
    let output = '';
    const done = collect(events$.pipe(filter((event) => {
      if (event.type === 'output') output += event.chunk;
      return true;
    })));
    await waitFor(() => output.includes('\n'), 'the secret line');
    const stored = await everythingIn(redis.url);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain('spec-secret-value-1234');
    expect(stored).not.toContain('console.log');
    expect(resultsOf(await done)[0].result.output).toBe(`${secret} unset\n`);
  });

  it('orchestrate workers lists the live workers with their host and running jobs', async () => {
    let started = false;
    const subscription = remote({ kind: 'command', processId: 'listed', command: node, args: [fixture('sleep.js'), '60000'] }, options).events().subscribe((event) => {
      if (event.type === 'start') started = true;
    });
    try {
      await waitFor(() => started, 'the remote start');
      // A worker beats its heartbeat as a job starts: one listing shows it.
      const listed = spawnSync(node, [MAIN, 'workers', '--redis', redis.url], { encoding: 'utf8' }).stdout;
      for (const worker of workers) expect(listed).toContain(worker.id);
      expect(listed).toMatch(/host \S+ {2}pid \d+ {2}1\/4 running: "listed"/);
    } finally {
      subscription.unsubscribe();
    }
  });

  // The CLI cases spawn the CLI (about 1.7 s each): LONG_TESTS (CI) runs them; plain runs keep to the budget.
  const long = LONG_TESTS ? it : it.skip;
  long('orchestrate parallel --redis: the same exit code, --json events, logs and summary as a local run; --pass-env passes one variable', () => {
    const cwd = makeTempDir('rxo-cluster-cli-');
    try {
      const run = spawnSync(node, [MAIN, 'parallel', '--exec', '--json', '--redis', redis.url, '--pass-env', 'CLI_TOKEN', '--names', 'ok,bad', 'sh -c "echo token=$CLI_TOKEN other=${OTHER:-unset}"', 'sh -c "exit 3"'], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, RXO_CLUSTER_SECRET: SECRET, CLI_TOKEN: 'passed-value', OTHER: 'kept-here' },
      });
      expect(run.status).toBe(1);
      const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; processId?: string; chunk?: string; result?: { exitCode: number } });
      const results = events.filter((event) => event.type === 'result');
      expect(results.map((event) => [event.processId, event.result?.exitCode]).sort()).toEqual([['bad', 3], ['ok', 0]]);
      expect(events.filter((event) => event.type === 'output' && event.processId === 'ok').map((event) => event.chunk).join('')).toBe('token=passed-value other=unset\n');
      const root = join(cwd, '.claude', 'runtime', 'logs');
      const session = join(root, readdirSync(root).find((name) => name.startsWith('cli-parallel')) ?? '');
      expect(JSON.parse(readFileSync(join(session, 'summary.json'), 'utf8'))).toMatchObject({ counts: { failed: 1, cancelled: 0 } });
      // The session redacts the host's secrets (CLI_TOKEN names one) in the logs, remote or not.
      const log = readFileSync(join(session, 'ok.log'), 'utf8');
      expect(log).toContain('stdout | token=[REDACTED] other=unset');
      expect(log).not.toContain('passed-value');
    } finally {
      removeDir(cwd);
    }
  });

  long('fails clearly when Redis cannot be reached, the password redacted; a worker without a secret refuses to start', () => {
    const run = spawnSync(node, [MAIN, 'run', '--exec', '--no-log', '--redis', 'redis://user:hunter2-password@127.0.0.1:1', 'echo hi'], { encoding: 'utf8', env: { ...process.env, RXO_CLUSTER_SECRET: SECRET } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot reach Redis at redis:\/\/user:.*@127\.0\.0\.1:1: connect ECONNREFUSED/);
    expect(run.stderr).not.toContain('hunter2');
    const worker = spawnSync(node, [MAIN, 'worker', '--redis', redis.url], { encoding: 'utf8', env: { ...process.env, RXO_CLUSTER_SECRET: '' } });
    expect(worker.status).toBe(2);
    expect(worker.stderr).toContain('no cluster secret: set RXO_CLUSTER_SECRET or pass --secret-file');
  });
});
