/**
 * The simulated agent's scripted answers and structured output. `SIM_AGENT_SCRIPT=<file>` names a
 * JSON array of entries; the first whose `match` occurs in the prompt (and whose `model`, when
 * given, starts the requested model) decides the run:
 *   { "match": "...", "structuredOutput": {...} }   answer the run's --json-schema with this value (as is)
 *   { "match": "...", "omitStructuredOutput": true } answer in text only, as a model that never calls the tool
 *   { "match": "...", "text": "..." }               the reply text instead of the generated one
 *   { "match": "...", "crash": true }               exit 2 halfway through the reply (like sim-crash*)
 *   { "match": "...", "delayMs": 500 }              milliseconds between the reply's pieces
 *   { "match": "...", "writeFiles": {"a.txt": "x"} } write these files (relative to the working directory) first, as an edit would
 * Without an entry, a schema is answered with a value drawn from the schema by the run's seeded
 * PRNG: the same prompt and model always give the same answer.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, normalize, resolve } from 'node:path';

export interface ScriptEntry {
  readonly match: string;
  readonly model?: string;
  readonly structuredOutput?: unknown;
  readonly omitStructuredOutput?: boolean;
  readonly text?: string;
  readonly crash?: boolean;
  readonly delayMs?: number;
  readonly writeFiles?: Readonly<Record<string, string>>;
}

/** Writes an entry's files under `cwd`; a path that leaves it (absolute, or through `..`) is refused. */
export function writeScriptedFiles(files: Readonly<Record<string, string>>, cwd: string): string[] {
  const written: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    const relative = normalize(path);
    if (isAbsolute(relative) || relative.split(/[\\/]/).includes('..')) throw new Error(`Error: SIM_AGENT_SCRIPT writeFiles path ${JSON.stringify(path)} leaves the working directory`);
    const target = resolve(cwd, relative);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    written.push(relative);
  }
  return written;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The entries of `SIM_AGENT_SCRIPT` (none when unset); throws an Error naming the file when it is not an array of entries. */
export function loadScript(path: string | undefined): ScriptEntry[] {
  if (path === undefined || path === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Error: SIM_AGENT_SCRIPT ${path} could not be read as JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || !parsed.every((e) => isObject(e) && typeof e.match === 'string')) {
    throw new Error(`Error: SIM_AGENT_SCRIPT ${path} must hold an array of objects, each with a "match" string`);
  }
  return parsed as ScriptEntry[];
}

/** The first entry for this prompt and model. */
export function findEntry(entries: readonly ScriptEntry[], prompt: string, model: string): ScriptEntry | undefined {
  return entries.find((e) => prompt.includes(e.match) && (e.model === undefined || model.startsWith(e.model)));
}

/** A value that satisfies the common JSON Schema keywords, drawn with `rand`. */
export function sampleFromSchema(schema: unknown, rand: () => number, key = 'value'): unknown {
  if (!isObject(schema)) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[Math.floor(rand() * schema.enum.length)];
  const choices = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (Array.isArray(choices) && choices.length > 0) return sampleFromSchema(choices[0], rand, key);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return sampleObject(schema, rand);
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
      const max = Math.max(min, typeof schema.maxItems === 'number' ? Math.min(schema.maxItems, min + 1) : min + 1);
      const count = min + Math.floor(rand() * (max - min + 1));
      return Array.from({ length: count }, (_, i) => sampleFromSchema(schema.items, rand, `${key} ${i + 1}`));
    }
    case 'number':
    case 'integer': {
      const lo = typeof schema.minimum === 'number' ? schema.minimum : 0;
      const hi = typeof schema.maximum === 'number' ? schema.maximum : lo + 10;
      const drawn = lo + rand() * (hi - lo);
      return type === 'integer' ? Math.min(hi, Math.ceil(drawn)) : Number(drawn.toFixed(2));
    }
    case 'boolean':
      return rand() < 0.5;
    case 'null':
      return null;
    default: {
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      return `simulated ${key}`.padEnd(min, '.');
    }
  }
}

/** Every property of an object schema (extra keys only where `additionalProperties` is a schema and none are listed). */
function sampleObject(schema: Json, rand: () => number): Json {
  const out: Json = {};
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [name, sub] of Object.entries(properties)) out[name] = sampleFromSchema(sub, rand, name);
  if (Object.keys(properties).length === 0 && isObject(schema.additionalProperties)) {
    out.simulated = sampleFromSchema(schema.additionalProperties, rand, 'simulated');
  }
  return out;
}
