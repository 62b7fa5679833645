/**
 * What the cluster specs run against: a real `redis-server` on a random loopback port in a temp
 * directory (AOF when asked, so a restart keeps the data), and real worker processes
 * (`node dist/cli/main.js worker ...`), each waited for until it prints its `ready` line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from '../helpers';

export const SECRET = 'spec-cluster-secret-0123456789';
export const MAIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

/** A free loopback port (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops it (SIGTERM: with AOF on, everything written is kept) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
}

export async function startRedis(dir: string, options: { readonly aof?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', options.aof ? 'yes' : 'no', '--appendfsync', 'always'];
  const url = `redis://127.0.0.1:${port}`;
  const server: RedisServer = {
    url,
    port,
    async start() {
      child = spawn('redis-server', args, { stdio: 'ignore' });
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      const deadline = Date.now() + 10_000;
      for (;;) {
        try {
          await probe.connect();
          await probe.ping();
          probe.disconnect();
          return;
        } catch (error) {
          probe.disconnect();
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
  await server.start();
  return server;
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly id: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts `orchestrate worker` and resolves once it printed its `ready` line. */
export async function startWorkerProcess(url: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [MAIN, 'worker', '--redis', url, ...extra], { env: { ...process.env, RXO_CLUSTER_SECRET: SECRET, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (data: Buffer) => (out += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (err += data.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  await waitFor(() => /^ready /m.test(out) || gone, 'the worker to print ready', 20_000);
  if (!/^ready /m.test(out)) throw new Error(`the worker did not start: ${err}`);
  const id = /^ready (\S+)/m.exec(out)?.[1] ?? '';
  return { child, id, stdout: () => out, stderr: () => err, exited };
}

/** Kills what is still running (SIGKILL) and waits for the exits. */
export async function stopAll(workers: readonly WorkerProcess[]): Promise<void> {
  for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.exited));
}

/** Every string stored in Redis now (strings, hashes, lists, sets, sorted sets, streams), joined. */
export async function everythingIn(url: string): Promise<string> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys('*');
    const parts: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === 'string') parts.push(String(await redis.get(key)));
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      parts.push(key);
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}
