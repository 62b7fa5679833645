/**
 * `orchestrate worker` and `orchestrate workers`. A worker consumes the queue until SIGINT or
 * SIGTERM: it prints `ready <id> on <host> ...` once consuming, states Redis outages and refused
 * jobs on stderr, and on the first signal stops taking jobs, lets the running ones finish for
 * `--shutdown-grace` seconds, then stops them and hands them back (a second signal hands them back
 * at once). `workers` lists the live workers and the runs they hold (`--json`: one object a line).
 *
 * Exit codes: 0 stopped by a signal (or listed), 1 Redis unreachable at start, 2 usage (no secret,
 * a bad flag).
 */
import yargs from 'yargs';
import { defaults } from '../index';
import { ClusterConnectionError, listWorkers, readClusterSecret, redactRedisUrl, startWorker, type LiveWorker } from '../toolkit';
import { EXIT, type CliIO } from './cli-options';
import { numberOption } from './flags';

const COMMON = {
  redis: { type: 'string', requiresArg: true, describe: 'Redis URL, redis:// or rediss:// (default: RXO_REDIS_URL)' },
  queue: { type: 'string', requiresArg: true, default: defaults.clusterQueue, describe: 'Queue name' },
} as const;

function describeWorker(worker: LiveWorker, now: number): string {
  const jobs = worker.jobs.map((job) => `${JSON.stringify(job.processId)} (${job.runId}, ${Math.round((now - job.since) / 1000)} s)`).join(', ');
  return `${worker.id}  host ${worker.host}  pid ${worker.pid}  ${worker.jobs.length}/${worker.concurrency} running${jobs ? `: ${jobs}` : ''}`;
}

async function workersCommand(args: Record<string, unknown>, io: CliIO, redis: string): Promise<number> {
  const workers = await listWorkers({ redis, queue: String(args.queue) });
  const now = Date.now();
  if (args.json) for (const worker of workers) io.stdout.write(`${JSON.stringify(worker)}\n`);
  else io.stdout.write(workers.length === 0 ? `no live worker on queue ${String(args.queue)} at ${redactRedisUrl(redis)}\n` : `${workers.map((worker) => describeWorker(worker, now)).join('\n')}\n`);
  return EXIT.ok;
}

async function workerCommand(args: Record<string, unknown>, io: CliIO, redis: string): Promise<number> {
  const note = (text: string): void => void io.stderr.write(`orchestrate worker: ${text}\n`);
  const secret = readClusterSecret({ secretFile: args['secret-file'] as string | undefined, env: io.env });
  const graceMs = Number(args['shutdown-grace'] ?? defaults.clusterShutdownGraceMs / 1000) * 1000;
  const lock = args['lock-duration'] as number | undefined;
  // Checked here in flag terms (the library's own checks name its option fields).
  const concurrency = Number(args.concurrency ?? 1);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`--concurrency must be a positive integer, received ${String(args.concurrency)}`);
  if (!(graceMs >= 0)) throw new TypeError(`--shutdown-grace must be 0 or more seconds, received ${String(args['shutdown-grace'])}`);
  if (lock !== undefined && !(lock > 0)) throw new TypeError(`--lock-duration must be more than 0 seconds, received ${String(lock)}`);
  const worker = await startWorker({
    redis,
    secret,
    queue: String(args.queue),
    concurrency,
    onStatus: note,
    ...(lock !== undefined ? { lockDurationMs: lock * 1000, stalledIntervalMs: Math.max(250, (lock * 1000) / 2) } : {}),
  });
  io.stdout.write(`ready ${worker.id} on ${worker.host} (queue ${worker.queue}, concurrency ${concurrency}, ${redactRedisUrl(redis)})\n`);
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals += 1;
      if (signals === 1) {
        note(`${signal}: taking no more jobs; ${worker.running().length} running, handed back after ${graceMs / 1000} s; again to hand them back now`);
        worker.close({ graceMs }).then(resolve, resolve);
      } else {
        for (const run of worker.running()) run.handBack();
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  note('stopped');
  return EXIT.ok;
}

/** Runs `worker` or `workers` (argv[0]); resolves the exit code. */
export async function clusterCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const name = argv[0] as 'worker' | 'workers';
  const errors: string[] = [];
  const parser = yargs([...argv.slice(1)])
    .scriptName(`orchestrate ${name}`)
    .usage(name === 'worker' ? '$0 --redis <url> [options]\n\nConsume remote runs from the queue until SIGINT/SIGTERM.' : '$0 --redis <url>\n\nList the live workers and the runs they hold.')
    .options(COMMON)
    .options(name === 'worker' ? {
      concurrency: { requiresArg: true, coerce: numberOption('concurrency'), describe: 'Jobs run at once [number] [default: 1]' },
      'secret-file': { type: 'string', requiresArg: true, describe: 'File whose first line is the cluster secret (default: RXO_CLUSTER_SECRET)' },
      'shutdown-grace': { requiresArg: true, coerce: numberOption('shutdown-grace'), describe: `Seconds running jobs may finish after SIGINT/SIGTERM before they are handed back [number] [default: ${defaults.clusterShutdownGraceMs / 1000}]` },
      'lock-duration': { requiresArg: true, coerce: numberOption('lock-duration'), describe: `Seconds without a sign of life after which this worker's jobs go to another worker [number] [default: ${defaults.clusterLockDurationMs / 1000}]` },
    } : { json: { type: 'boolean', default: false, nargs: 0, describe: 'One JSON object per worker' } })
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => void errors.push(msg ?? err?.message ?? 'invalid usage'));
  let output = '';
  const args = (await parser.parseAsync([...argv.slice(1)], {}, (_e, _a, text) => {
    output = text;
  })) as Record<string, unknown>;
  if (output) io.stdout.write(`${output}\n`);
  if (args.help) return EXIT.ok;
  const redis = (args.redis as string | undefined) ?? (io.env.RXO_REDIS_URL || undefined);
  if (errors.length === 0 && redis === undefined) errors.push('--redis <url> is required (or set RXO_REDIS_URL)');
  if (errors.length > 0) {
    io.stderr.write(`orchestrate ${name}: ${errors[errors.length - 1]}\nRun 'orchestrate ${name} --help' for usage.\n`);
    return EXIT.usage;
  }
  try {
    return name === 'worker' ? await workerCommand(args, io, redis as string) : await workersCommand(args, io, redis as string);
  } catch (error) {
    io.stderr.write(`orchestrate ${name}: ${(error as Error).message}\n`);
    return error instanceof ClusterConnectionError ? EXIT.failed : EXIT.usage;
  }
}
