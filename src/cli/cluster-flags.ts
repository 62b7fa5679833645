/**
 * The cluster's flags shared by the strategy commands and `worker`/`workers`: where Redis is
 * (`--redis`, else `RXO_REDIS_URL`), the queue, the secret (`--secret-file`, else
 * `RXO_CLUSTER_SECRET`) and, for clients, the variables passed to workers (`--pass-env`).
 */
import { checkReachable, checkRedisUrl, readClusterSecret, redactRedisUrl, remoteBuilders, type RemoteOptions } from '../toolkit';
import type { SpecBuilder } from '../index';

/** What the cluster flags of a strategy command say. */
export interface ClusterCliOptions {
  readonly redis: string;
  readonly queue?: string;
  readonly secretFile?: string;
  readonly passEnv: readonly string[];
}

/** The cluster options of a command's parsed flags, or undefined to run locally (no `--redis`, no RXO_REDIS_URL). */
export function clusterCliOptions(args: Record<string, unknown>, env: NodeJS.ProcessEnv): ClusterCliOptions | undefined {
  const redis = (args.redis as string | undefined) ?? (env.RXO_REDIS_URL || undefined);
  if (redis === undefined) return undefined;
  const passEnv = args['pass-env'] === undefined ? [] : (Array.isArray(args['pass-env']) ? args['pass-env'] : [args['pass-env']]).flatMap((value) => String(value).split(','));
  return { redis: String(redis), queue: args.queue as string | undefined, secretFile: args['secret-file'] as string | undefined, passEnv };
}

/** Checks the URL, reads the secret and checks Redis answers; the builders that run every planned process on the workers. */
export async function clusterBuild(cluster: ClusterCliOptions, env: NodeJS.ProcessEnv, onStatus: (message: string) => void): Promise<Record<string, SpecBuilder>> {
  checkRedisUrl('--redis', cluster.redis);
  for (const name of cluster.passEnv) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`--pass-env must name environment variables, received ${JSON.stringify(name)}`);
  }
  const options: RemoteOptions = { redis: cluster.redis, queue: cluster.queue, secret: readClusterSecret({ secretFile: cluster.secretFile, env }), passEnv: cluster.passEnv, env, onStatus };
  await checkReachable(cluster.redis);
  return remoteBuilders(options);
}

export { redactRedisUrl };
