/**
 * `--json-schema <file|json>`: a JSON Schema typed inline (text starting with `{`) or read from a
 * file; either way checked (it must parse and compile) before anything runs, the flag and the
 * value named in the error.
 */
import { readFileSync } from 'node:fs';
import { parseJsonSchema } from '../toolkit';

/** The schema object of a `--json-schema`-like flag; throws an Error naming the flag and the value. */
export function readJsonSchemaFlag(flag: string, raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  const text = String(Array.isArray(raw) ? raw[raw.length - 1] : raw);
  let source = text;
  if (!text.trim().startsWith('{')) {
    try {
      source = readFileSync(text, 'utf8');
    } catch (error) {
      throw new Error(`--${flag} must be a JSON Schema or a file holding one, received ${JSON.stringify(text)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  try {
    return parseJsonSchema(source, `--${flag}`);
  } catch (error) {
    throw new Error(`${(error as Error).message}${source === text ? '' : ` (read from ${JSON.stringify(text)})`}`);
  }
}
