/**
 * BullMQ and ioredis, loaded the first time the cluster is used: every `orchestrate` command and
 * every program importing the toolkit would otherwise load them at start (about 135 ms of a
 * 560 ms CLI start measured here) whether or not it runs anything remotely.
 */
import type * as BullMQ from 'bullmq';
import type * as IORedis from 'ioredis';

let bull: typeof BullMQ | undefined;
let redis: typeof IORedis | undefined;

export function bullmq(): typeof BullMQ {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  bull ??= require('bullmq') as typeof BullMQ;
  return bull;
}

export function ioredis(): typeof IORedis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  redis ??= require('ioredis') as typeof IORedis;
  return redis;
}
