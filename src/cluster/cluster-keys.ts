/**
 * The Redis keys of one queue's runs, workers and control channel, all under `rxo:<queue>:`
 * (BullMQ's own keys live under `bull:<queue>:`).
 */
export interface ClusterKeyNames {
  /** The run's event stream (sealed entries). */
  events(runId: string): string;
  /** Set, once, by the worker that wrote the run's result: no second result, no second run. */
  done(runId: string): string;
  /** The worker that runs (or last ran) the run. */
  owner(runId: string): string;
  /** How many times the run was started on the cluster. */
  starts(runId: string): string;
  /** Set when the client cancelled the run (a worker taking it later does not start it). */
  cancel(runId: string): string;
  /** A live worker's heartbeat (expires when it stops beating). */
  worker(workerId: string): string;
  /** The pattern of every worker's heartbeat key. */
  readonly workerPattern: string;
  /** Pub/sub channel of cancellations (messages: run ids). */
  readonly cancelChannel: string;
}

/** Key names for a queue. */
export function clusterKeyNames(queue: string): ClusterKeyNames {
  const base = `rxo:${queue}:`;
  return {
    events: (runId) => `${base}run:${runId}:events`,
    done: (runId) => `${base}run:${runId}:done`,
    owner: (runId) => `${base}run:${runId}:owner`,
    starts: (runId) => `${base}run:${runId}:starts`,
    cancel: (runId) => `${base}run:${runId}:cancel`,
    worker: (workerId) => `${base}worker:${workerId}`,
    workerPattern: `${base}worker:*`,
    cancelChannel: `${base}cancel`,
  };
}

/** Checks a queue name (letters, digits, `-`, `_`, `.`); a TypeError naming the option and value. */
export function checkQueueName(option: string, queue: unknown): string {
  if (typeof queue !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(queue)) {
    throw new TypeError(`${option} must be 1 to 100 letters, digits, '.', '_' or '-', received ${JSON.stringify(queue)}`);
  }
  return queue;
}
