/**
 * Process ids become file names that stay inside their directory and never share a file.
 *
 * A safe id (letters, digits, `.`, `_`, `-`, not starting with `.`, at most 100 characters, not
 * a reserved name) is used as it is. Any other id is reduced to those characters and gets a
 * hash of the original appended, so `a/b` and `a_b` differ. Within one directory, a registry
 * numbers any remaining clash (`x`, `x-2`, ...) so two ids never write one file.
 *
 * An id holding a secret (a key-shaped id) is named by its redacted form (`shownAs`): the name
 * and its hash then reveal nothing of the key.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

const MAX_LENGTH = 100;
const RESERVED = new Set(['session', 'summary', 'joblog']);

export function safeFileName(id: string): string {
  const safe = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(id) && id.length <= MAX_LENGTH && !RESERVED.has(id.toLowerCase());
  if (safe) return id;
  const reduced = id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, MAX_LENGTH) || 'process';
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 10);
  return `${reduced}-${hash}`;
}

/** Hands out one file name per id within one directory. */
export class FileNameRegistry {
  private readonly byId = new Map<string, string>();
  private readonly taken = new Set<string>();

  /** The file name of `id`, derived from `shownAs` (its redacted form) when given. */
  nameFor(id: string, shownAs: string = id): string {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    const base = safeFileName(shownAs);
    let name = base;
    for (let n = 2; this.taken.has(name); n += 1) name = `${base}-${n}`;
    this.taken.add(name);
    this.byId.set(id, name);
    return name;
  }
}

const registries = new Map<string, FileNameRegistry>();

/** The registry of a directory, shared by every sink writing there from this host. */
export function registryFor(directory: string): FileNameRegistry {
  const key = resolve(directory);
  let registry = registries.get(key);
  if (!registry) {
    registry = new FileNameRegistry();
    registries.set(key, registry);
  }
  return registry;
}
