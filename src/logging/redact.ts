/**
 * Keeps secrets out of logs: the values of environment variables whose names say they are
 * secret (API keys, tokens, passwords) and anything shaped like an Anthropic key (`sk-ant-...`)
 * are replaced by `[REDACTED]`.
 */

const SECRET_NAME = /(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_?KEY|AUTH)/i;
const KEY_SHAPE = /sk-ant-[A-Za-z0-9_-]{6,}/g;
/** Shorter values are too likely to be ordinary words. */
const MIN_SECRET_LENGTH = 6;

export const REDACTED = '[REDACTED]';

export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= MIN_SECRET_LENGTH)
    .map(([, value]) => value as string);
}

export type Redactor = (text: string) => string;

export function createRedactor(secrets: readonly string[]): Redactor {
  const unique = [...new Set(secrets)].filter((value) => value.length > 0).sort((a, b) => b.length - a.length);
  const escaped = unique.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const values = escaped.length > 0 ? new RegExp(escaped.join('|'), 'g') : undefined;
  return (text) => {
    let out = values ? text.replace(values, REDACTED) : text;
    if (out.includes('sk-ant-')) out = out.replace(KEY_SHAPE, REDACTED);
    return out;
  };
}
