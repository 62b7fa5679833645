/**
 * One `ClusterClient` per Redis URL, queue and secret, shared by every remote run of the process
 * and counted: the last run to finish closes it shortly after (a run starting in between, as the
 * next one of a sequence does, keeps it). A client that never reached Redis is dropped, so the
 * next run tries afresh.
 */
import { createHash } from 'node:crypto';
import { defaults } from '../defaults';
import { ClusterClient, type ClusterOptions } from './cluster-client';

const LINGER_MS = 250;
const clients = new Map<string, { client: ClusterClient; users: number; linger?: NodeJS.Timeout }>();

function clientKey(options: ClusterOptions): string {
  const secret = createHash('sha256').update(String(options.secret)).digest('hex');
  return `${options.redis}\n${options.queue ?? defaults.clusterQueue}\n${secret}`;
}

/** The shared client for these options, counted as one more user. */
export function acquireClient(options: ClusterOptions): ClusterClient {
  const key = clientKey(options);
  let entry = clients.get(key);
  if (!entry) {
    const client = new ClusterClient(options);
    entry = { client, users: 0 };
    clients.set(key, entry);
    // A client that never reached Redis is not kept: the next run tries afresh.
    client.ready.catch(() => {
      if (clients.get(key)?.client === client) clients.delete(key);
    });
  }
  if (entry.linger) clearTimeout(entry.linger);
  entry.linger = undefined;
  entry.users += 1;
  return entry.client;
}

/** One user fewer; the last one closes the connections shortly after (a next run in between keeps them). */
export function releaseClient(client: ClusterClient): void {
  for (const [key, entry] of clients) {
    if (entry.client !== client) continue;
    entry.users -= 1;
    if (entry.users > 0) return;
    entry.linger = setTimeout(() => {
      clients.delete(key);
      void client.close();
    }, LINGER_MS);
    return;
  }
  void client.close();
}
