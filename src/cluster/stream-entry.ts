/**
 * One entry of a run's event stream: an event of the worker's run, or the worker's refusal of the
 * job, numbered within the worker's execution (`n`: 0, 1, 2, ...; a restarted run counts from 0
 * again, under a new start number `x`) so the client can tell a gap (entries trimmed before it read them) from a restart. Each
 * entry is sealed with the run's id as context, so it cannot be forged, altered or replayed into
 * another run's stream.
 */
import type { ProcessEvent } from '../events/types';
import { ClusterSignatureError } from './cluster-error';
import { seal, unseal, type ClusterKeys } from './sealing';

/**
 * `x`: which start of the run on the cluster wrote it (1, 2, ...; 0 before any start), so a worker
 * that lost the run but still writes is told apart from the one that holds it now; `n`: the
 * entry's place within that start, so an entry written twice (a command resent after a reconnect)
 * is dropped and a gap is seen.
 */
export type StreamEntry =
  | { readonly x: number; readonly n: number; readonly event: ProcessEvent }
  | { readonly x: number; readonly n: number; readonly refused: string; readonly workerId: string };

/** The field an entry's sealed text is stored under. */
export const ENTRY_FIELD = 'd';

export function encodeEntry(keys: ClusterKeys, runId: string, entry: StreamEntry): string {
  return seal(keys, entry, `events:${runId}`);
}

export function decodeEntry(keys: ClusterKeys, runId: string, fields: readonly string[]): StreamEntry {
  const at = fields.indexOf(ENTRY_FIELD);
  if (at < 0 || at % 2 !== 0) throw new ClusterSignatureError(`an entry of run ${runId}'s stream has no sealed data`);
  const entry = unseal(keys, fields[at + 1], `events:${runId}`) as StreamEntry;
  if (typeof entry?.n !== 'number') throw new ClusterSignatureError(`an entry of run ${runId}'s stream is malformed`);
  return entry;
}
