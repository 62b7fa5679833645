/**
 * What protects everything that crosses Redis: two keys derived from the shared secret (HKDF-SHA256),
 * one for HMAC-SHA256 signatures over a canonical JSON form, one for AES-256-GCM encryption. A job
 * is signed and its content sealed; every event a worker writes back is sealed too, with the run's
 * id as additional data, so Redis (or anyone who can write to it) sees no command, prompt,
 * variable or output in clear and cannot forge, alter or move one between runs.
 *
 * @example
 * ```ts
 * import { clusterKeys, seal, unseal } from 'rx-orchestration/toolkit';
 * const keys = clusterKeys('a long shared secret, 16 characters or more');
 * const box = seal(keys, { hello: 'world' }, 'run-1');
 * console.log(unseal(keys, box, 'run-1')); // { hello: 'world' }
 * ```
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defaults } from '../defaults';
import { ClusterSecretError, ClusterSignatureError } from './cluster-error';

/** The two keys every client and worker of one cluster derive from the shared secret. */
export interface ClusterKeys {
  readonly sign: Buffer;
  readonly seal: Buffer;
}

/** Derives the signing and sealing keys; a secret shorter than 16 characters is refused. */
export function clusterKeys(secret: string): ClusterKeys {
  if (typeof secret !== 'string' || secret.trim().length < defaults.clusterSecretMinLength) {
    throw new ClusterSecretError(`the cluster secret must hold at least ${defaults.clusterSecretMinLength} characters (RXO_CLUSTER_SECRET or --secret-file); received ${typeof secret === 'string' ? `${secret.trim().length}` : typeof secret}`);
  }
  const derive = (info: string): Buffer => Buffer.from(hkdfSync('sha256', Buffer.from(secret.trim()), 'rx-orchestration cluster v1', info, 32));
  return { sign: derive('sign'), seal: derive('seal') };
}

/** The secret from a file (its first line, trimmed) or from `RXO_CLUSTER_SECRET`; a ClusterSecretError when neither gives one. */
export function readClusterSecret(options: { readonly secretFile?: string; readonly env: NodeJS.ProcessEnv }): string {
  if (options.secretFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.secretFile, 'utf8');
    } catch (error) {
      throw new ClusterSecretError(`--secret-file ${JSON.stringify(options.secretFile)} cannot be read: ${(error as Error).message}`, { cause: error });
    }
    return text.split('\n')[0]?.trim() ?? '';
  }
  const fromEnv = options.env.RXO_CLUSTER_SECRET;
  if (fromEnv === undefined || fromEnv.trim() === '') {
    throw new ClusterSecretError('no cluster secret: set RXO_CLUSTER_SECRET or pass --secret-file <file> (the same secret on every client and worker)');
  }
  return fromEnv;
}

/** JSON with object keys sorted at every level: the form a signature covers. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** HMAC-SHA256 of the canonical form, hex. */
export function sign(keys: ClusterKeys, value: unknown): string {
  return createHmac('sha256', keys.sign).update(canonicalJson(value)).digest('hex');
}

/** Whether `signature` is the signature of `value` (compared in constant time). */
export function verify(keys: ClusterKeys, value: unknown, signature: unknown): boolean {
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(sign(keys, value), 'hex'), Buffer.from(signature, 'hex'));
}

/** Encrypts a JSON value (AES-256-GCM, fresh 12-byte IV) bound to `context`; base64 of iv, tag, ciphertext. */
export function seal(keys: ClusterKeys, value: unknown, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.seal, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Decrypts what `seal` made for the same context; a ClusterSignatureError when it was altered, moved or sealed with another secret. */
export function unseal(keys: ClusterKeys, box: unknown, context: string): unknown {
  try {
    const bytes = Buffer.from(String(box), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', keys.seal, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8'));
  } catch (error) {
    throw new ClusterSignatureError(`a sealed value for ${JSON.stringify(context)} does not decrypt: it was altered or sealed with another secret`, { cause: error });
  }
}
