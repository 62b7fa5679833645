/**
 * A remote run as a BullMQ job: the run id and process id in clear (for listings), the spec, the
 * strategy's context and the variables passed on sealed, the whole signed. A worker opens a job
 * only when its signature verifies, its seal decrypts and it is not older than the replay window.
 */
import { defaults } from '../defaults';
import type { RunSpec } from '../process/spec';
import type { PreviousOutput } from '../process/types';
import { ClusterSignatureError } from './cluster-error';
import { seal, sign, unseal, verify, type ClusterKeys } from './sealing';

/** What travels in a job, signed. */
export interface RemoteJobData {
  readonly v: 1;
  readonly runId: string;
  readonly processId: string;
  /** When the client signed it, ms since the epoch. */
  readonly issuedAt: number;
  /** The sealed `RemoteJobContent`. */
  readonly sealed: string;
  readonly signature: string;
}

/** What a job carries under its seal. */
export interface RemoteJobContent {
  readonly spec: RunSpec;
  /** The strategy's `passOutput` context for this run. */
  readonly context?: readonly PreviousOutput[];
  /** Values of the client's variables named with `passEnv`, added to the worker's environment. */
  readonly passedEnv: Readonly<Record<string, string>>;
  /** A strategy's timeout for this run (0: none); absent: the spec's own. */
  readonly timeoutMs?: number;
}

const RUN_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** Signs and seals a job. */
export function makeJob(keys: ClusterKeys, runId: string, content: RemoteJobContent, now: number = Date.now()): RemoteJobData {
  const unsigned = { v: 1 as const, runId, processId: content.spec.processId, issuedAt: now, sealed: seal(keys, content, `job:${runId}`) };
  return { ...unsigned, signature: sign(keys, unsigned) };
}

/** The run id a job names, when it is one a worker may write to (else undefined: nothing to report to). */
export function jobRunId(data: unknown): string | undefined {
  const runId = (data as Partial<RemoteJobData> | null)?.runId;
  return typeof runId === 'string' && RUN_ID.test(runId) ? runId : undefined;
}

/** Verifies and opens a job; a ClusterSignatureError saying why it is refused. */
export function openJob(keys: ClusterKeys, data: unknown, now: number = Date.now(), maxAgeMs: number = defaults.clusterJobMaxAgeMs): RemoteJobContent {
  const job = (data ?? {}) as Partial<RemoteJobData>;
  const { signature, ...unsigned } = job;
  if (job.v !== 1 || !verify(keys, unsigned, signature)) {
    throw new ClusterSignatureError('job refused: its signature does not verify (tampered, or signed with another secret)');
  }
  if (typeof job.issuedAt !== 'number' || now - job.issuedAt > maxAgeMs) {
    throw new ClusterSignatureError(`job refused: signed ${typeof job.issuedAt === 'number' ? `${Math.round((now - job.issuedAt) / 1000)} s` : 'at an unknown time'} ago, older than the ${maxAgeMs / 1000} s replay window`);
  }
  const content = unseal(keys, job.sealed, `job:${String(job.runId)}`) as RemoteJobContent;
  if (content?.spec?.processId !== job.processId) throw new ClusterSignatureError('job refused: its sealed spec names another process');
  return content;
}
