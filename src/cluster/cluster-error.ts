/**
 * Typed errors of the cluster layer: Redis unreachable, a missing or weak secret, a job or an
 * event that fails its signature. Each has a fixed `name` and keeps its cause.
 */

/** Redis cannot be reached (the URL is shown with its password redacted). */
export class ClusterConnectionError extends Error {
  override readonly name = 'ClusterConnectionError';
  constructor(readonly url: string, reason: string, cause?: unknown) {
    super(`cannot reach Redis at ${url}: ${reason}`, { cause });
  }
}

/** The shared secret is missing or unusable. */
export class ClusterSecretError extends Error {
  override readonly name = 'ClusterSecretError';
}

/** A job or an event whose signature does not verify, or which cannot be decrypted. */
export class ClusterSignatureError extends Error {
  override readonly name = 'ClusterSignatureError';
}
