/**
 * One entry of a run's event stream: an event of the worker's run, or the worker's refusal of the
 * job, numbered within the worker's execution (`n`: 0, 1, 2, ...; a restarted run counts from 0
 * again) so the client can tell a gap (entries trimmed before it read them) from a restart. Each
 * entry is sealed with the run's id as context, so it cannot be forged, altered or replayed into
 * another run's stream.
 */
import type { ProcessEvent } from '../events/types';
import { ClusterSignatureError } from './cluster-error';
import { seal, unseal, type ClusterKeys } from './sealing';

export type StreamEntry =
  | { readonly n: number; readonly event: ProcessEvent }
  | { readonly n: number; readonly refused: string; readonly workerId: string };

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
