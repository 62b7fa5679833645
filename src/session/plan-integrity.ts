/**
 * Plan integrity: every `plan.json` carries an HMAC-SHA256 of its canonical bytes, keyed by a
 * per-user secret, so that `resume` can tell a plan this user's sessions wrote from one changed
 * afterwards (an injected `bash -c ...`, an added `BASH_ENV`).
 *
 * The key: 32 random bytes in `<config dir>/plan-key`, created on first use with mode 0600 in a
 * 0700 directory. The config directory is `$RXO_CONFIG_DIR`, else `$XDG_CONFIG_HOME/rx-orchestration`,
 * else `~/.config/rx-orchestration`. An existing key (or directory) that is not a regular file
 * owned by this user, or that others may read or write, is refused rather than used.
 *
 * Canonical bytes: the plan without its `integrity` field, as JSON with object keys sorted.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, constants, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PLAN_KEY_FILE = 'plan-key';
const KEY_BYTES = 32;

/** The integrity record stored in a plan. */
export interface PlanIntegrity {
  readonly algorithm: 'hmac-sha256';
  /** Lower-case hex. */
  readonly mac: string;
}

export class PlanKeyError extends Error {
  override readonly name = 'PlanKeyError';
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** The per-user configuration directory (see the file comment). */
export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RXO_CONFIG_DIR) return env.RXO_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'rx-orchestration');
}

/** JSON with object keys sorted at every level: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}

function ownedPrivately(path: string, stats: { uid: number; mode: number }, what: string): void {
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) throw new PlanKeyError(`${what} ${path} belongs to uid ${stats.uid}, not to you (uid ${uid}); refusing to use it`);
  if ((stats.mode & 0o077) !== 0) {
    throw new PlanKeyError(`${what} ${path} has mode ${(stats.mode & 0o777).toString(8)}; others may read or change it. Remove it (a new one is made) or chmod ${what === 'directory' ? '700' : '600'} it`);
  }
}

/** Creates the config directory (0700) if missing; checks an existing one. */
function ensureConfigDirectory(directory: string): void {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new PlanKeyError(`cannot create the configuration directory ${directory}: ${(error as Error).message}`, error);
  }
  const stats = lstatSync(directory);
  if (!stats.isDirectory()) throw new PlanKeyError(`${directory} is not a directory (a symbolic link or a file); refusing to keep the plan key there`);
  ownedPrivately(directory, stats, 'directory');
}

/** Reads an existing key file, refusing anything but a private regular file of the right size. */
function readKey(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new PlanKeyError(`${path} is not a regular file; refusing to use it as the plan key`);
    ownedPrivately(path, stats, 'key file');
    const key = Buffer.alloc(KEY_BYTES + 1);
    const length = readSync(fd, key, 0, key.length, 0);
    if (length !== KEY_BYTES) throw new PlanKeyError(`${path} does not hold a ${KEY_BYTES}-byte plan key (${length} bytes); remove it and a new one is made`);
    return key.subarray(0, KEY_BYTES);
  } finally {
    closeSync(fd);
  }
}

/**
 * This user's plan key, created on first use. Two processes creating it at once agree: the key
 * is written to a private temporary file and linked into place, so nobody reads a half-written key.
 */
export function planKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const directory = configDirectory(env);
  const path = join(directory, PLAN_KEY_FILE);
  try {
    return readKey(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new PlanKeyError(`${path} is a symbolic link; refusing to use it as the plan key`, error);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (error instanceof PlanKeyError) throw error;
      throw new PlanKeyError(`cannot read the plan key ${path}: ${(error as Error).message}`, error);
    }
  }
  ensureConfigDirectory(directory);
  const temporary = join(directory, `.${PLAN_KEY_FILE}-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, randomBytes(KEY_BYTES));
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new PlanKeyError(`cannot create the plan key ${path}: ${(error as Error).message}`, error);
  } finally {
    unlinkSync(temporary);
  }
  return readKey(path);
}

/** The plan without its integrity record. */
function unsigned(plan: object): object {
  const { integrity: _ignored, ...rest } = plan as { integrity?: unknown };
  return rest;
}

/** The HMAC of a plan (its `integrity` field left out). */
export function planMac(plan: object, key: Buffer): string {
  return createHmac('sha256', key).update(canonicalJson(unsigned(plan))).digest('hex');
}

/** The integrity record for a plan. */
export function signPlan(plan: object, key: Buffer): PlanIntegrity {
  return { algorithm: 'hmac-sha256', mac: planMac(plan, key) };
}

/** `valid`: written by this user's sessions and unchanged; `missing`: no record; `mismatch`: changed, or another key. */
export type PlanCheck = 'valid' | 'missing' | 'mismatch';

export function checkPlan(plan: object, key: Buffer): PlanCheck {
  const integrity = (plan as { integrity?: Partial<PlanIntegrity> }).integrity;
  if (integrity === undefined) return 'missing';
  if (integrity?.algorithm !== 'hmac-sha256' || typeof integrity.mac !== 'string' || !/^[0-9a-f]{64}$/.test(integrity.mac)) return 'mismatch';
  const expected = Buffer.from(planMac(plan, key), 'hex');
  return timingSafeEqual(expected, Buffer.from(integrity.mac, 'hex')) ? 'valid' : 'mismatch';
}
