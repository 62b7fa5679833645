/**
 * Keeps secrets out of logs and displays. Replaced by `[REDACTED]`:
 *
 * - the values of environment variables whose names say they are secret (`secretName`): API keys,
 *   tokens, passwords, `*_KEY`, `*_PASS`, `*_PWD`, `*_PAT`, `*_SK`, credentials, ...; values
 *   shorter than 6 characters are left alone by design (too likely to be ordinary words);
 * - each line (of 6 characters or more) of a multi-line secret, such as a PEM key printed line by line;
 * - the password of any URL with credentials (`scheme://user:password@host`), wherever it appears,
 *   and, when an environment value holds such a URL, that password alone too (also percent-decoded);
 * - anything shaped like an Anthropic key (`sk-ant-...`).
 *
 * Redact before quoting, escaping or cutting a text: a quoted or cut secret no longer matches.
 */

/** Parts of a name that mark it secret wherever they appear (`GITHUB_TOKEN`, `DBPASSWORD`). */
const SECRET_PART = /API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE_?KEY|AUTH(?!OR(?!I[SZ]))/i;
/** Words that mark a name secret only as a whole word (`DB_PASS` but not `PASSTHROUGH`, `GH_PAT` but not `PATH`). */
const SECRET_WORDS = new Set(['KEY', 'KEYS', 'PASS', 'PWD', 'PAT', 'SK', 'CREDS', 'COOKIE']);
/** Names that look secret but are not: the shell's working directory. */
const NOT_SECRET = new Set(['PWD']);
const KEY_SHAPE = /sk-ant-[A-Za-z0-9_-]{6,}/g;
/** `//user:password@`: group 1 keeps `//user:`, the password goes. */
const URL_CREDENTIALS = /(\/\/[^\s/@:]*:)[^\s/@]+@/g;
/** Shorter values are too likely to be ordinary words. */
export const MIN_SECRET_LENGTH = 6;

export const REDACTED = '[REDACTED]';

/** Names already judged: an environment's names are few and the same for every process. */
const judged = new Map<string, boolean>();
/** Judged names kept at most (an environment with ever-new names cannot grow the map without end). */
const MAX_JUDGED = 4096;

/** Whether an environment variable's name says its value is secret. */
export function secretName(name: string): boolean {
  let secret = judged.get(name);
  if (secret === undefined) {
    secret = judgeName(name);
    if (judged.size >= MAX_JUDGED) judged.clear();
    judged.set(name, secret);
  }
  return secret;
}

function judgeName(name: string): boolean {
  if (NOT_SECRET.has(name.toUpperCase())) return false;
  if (SECRET_PART.test(name)) return true;
  // Words: split at anything not a letter or digit and at camelCase humps; trailing digits dropped (KEY2).
  const words = name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/);
  return words.some((word) => SECRET_WORDS.has(word.toUpperCase().replace(/\d+$/, '')));
}

/** The passwords of the URLs with credentials in a text, as written and percent-decoded. */
function urlPasswords(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\/\/[^\s/@:]*:([^\s/@]+)@/g)) {
    found.push(match[1]);
    try {
      found.push(decodeURIComponent(match[1]));
    } catch {
      // not valid percent-encoding: the written form is enough
    }
  }
  return found;
}

/** The secret values of an environment: secret-named variables, and the passwords of URLs in any value. */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  const values: string[] = [];
  for (const name of Object.keys(env)) {
    const value = env[name];
    if (value === undefined) continue;
    if (value.length >= MIN_SECRET_LENGTH && secretName(name)) values.push(value);
    if (value.includes('@') && value.includes('//')) values.push(...urlPasswords(value).filter((p) => p.length >= MIN_SECRET_LENGTH));
  }
  return values;
}

/**
 * Replaces secrets in a text. A redactor from `createRedactor` also tells where a text may be cut
 * without cutting a secret (`openTail`).
 */
export interface Redactor {
  (text: string): string;
  /**
   * Where the end of `text` may hold the start of a secret that continues in text not seen yet,
   * moved back out of any secret it would cut: the index from which `text` must be held back
   * (its length when nothing need be).
   */
  readonly openTail?: (text: string) => number;
  /**
   * Groups of strings, one of which must be wholly present (every string of the group) for the
   * redactor to change a text: a text holding no complete group is returned as it is. Lets a
   * writer search bytes for these instead of running the redactor (see BlockFile). Without it,
   * every text is redacted.
   */
  readonly triggers?: ReadonlyArray<readonly string[]>;
}

/** The secrets to look for: each secret, and each line (6 characters or more) of a multi-line one. */
function expand(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    all.add(secret);
    if (/[\r\n]/.test(secret)) for (const line of secret.split(/\r?\n|\r/)) if (line.trim().length >= MIN_SECRET_LENGTH) all.add(line.trim());
  }
  return [...all].sort((a, b) => b.length - a.length);
}

/** Up to this many secrets, a text is searched for each with `includes` before any replacing. */
const QUICK_SECRETS = 16;

export function createRedactor(secrets: readonly string[]): Redactor {
  const unique = expand(secrets);
  const escaped = unique.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const values = escaped.length > 0 ? new RegExp(escaped.join('|'), 'g') : undefined;
  const longest = unique[0]?.length ?? 0;
  // A few secrets are looked for with `includes` first (a native search, many times faster than
  // the alternation over a large block of output); the regular expression runs only on a hit.
  const quick = unique.length <= QUICK_SECRETS;
  const redact = (text: string): string => {
    let out = values && (!quick || unique.some((secret) => text.includes(secret))) ? text.replace(values, REDACTED) : text;
    if (out.includes('sk-ant-')) out = out.replace(KEY_SHAPE, REDACTED);
    if (out.includes('@') && out.includes('//')) out = out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
    return out;
  };
  const openTail = (text: string): number => {
    // The literal secrets, and `sk-ant-` or `//` cut anywhere inside.
    let start = Math.max(0, text.length - Math.max(longest - 1, 'sk-ant-'.length));
    // A key or a URL's credentials still open at the end: looked for in the last 4 KiB only.
    const window = Math.max(0, text.length - 4096);
    const key = text.indexOf('sk-ant-', window);
    const lastKey = key < 0 ? -1 : text.lastIndexOf('sk-ant-');
    if (lastKey >= 0 && lastKey < start && /^[A-Za-z0-9_-]*$/.test(text.slice(lastKey + 7))) start = lastKey;
    const url = text.indexOf('//', window) < 0 ? -1 : text.lastIndexOf('//');
    if (url >= 0 && url < start && !/[\s/@]/.test(text.slice(url + 2))) start = url;
    // Back out of any secret the cut would split (a match may start in the text released).
    const near = text.slice(Math.max(0, start - longest - 1024));
    const offset = text.length - near.length;
    for (const pattern of [values, KEY_SHAPE, URL_CREDENTIALS]) {
      if (!pattern) continue;
      for (const match of near.matchAll(pattern)) {
        const from = offset + (match.index ?? 0);
        if (from < start && from + match[0].length > start) start = from;
      }
    }
    return start;
  };
  // What redact() looks for before it changes anything: a secret, a key's start, a URL's `//` and `@`.
  const triggers = [...unique.map((secret) => [secret]), ['sk-ant-'], ['//', '@']];
  return Object.assign(redact, { openTail, triggers });
}

/** Where `text` can be cut without splitting a secret that may continue after it (see `Redactor.openTail`). */
export function openTailStart(text: string, redact: Redactor): number {
  return redact.openTail ? redact.openTail(text) : text.length;
}
