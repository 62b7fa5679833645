/**
 * Structured output (`jsonSchema`): the schema a Claude run must answer in, passed to the CLI as
 * `--json-schema <JSON>`, and the check of what came back. Measured on the real CLI 2.1.197: it
 * offers the model a `StructuredOutput` tool whose input schema is ours (not forced), answers an
 * invalid call with an error tool result, nudges once when the model never calls it, and puts the
 * accepted object in its result event's `structured_output` (the `result` text is that object as
 * JSON). A run without one, or with one the schema rejects, is a failure here, whatever the CLI says.
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { invalidOption } from '../../validate';

/** A JSON Schema, as an object or as its JSON text. */
export type JsonSchemaOption = Readonly<Record<string, unknown>> | string;

/** Made on the first schema: a run without one never loads ajv (part of every CLI start otherwise). */
let ajv: Ajv | undefined;
function schemaCompiler(): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ajv ??= new (require('ajv') as typeof import('ajv')).Ajv({ allErrors: true, strict: false });
  return ajv;
}
const compiled = new Map<string, ValidateFunction>();

const EXPECTED = 'a JSON Schema: an object, or its JSON text';

/** The schema as an object; a TypeError naming `jsonSchema` for anything that is not one. */
export function parseJsonSchema(value: unknown, name = 'jsonSchema'): Record<string, unknown> {
  let schema: unknown = value;
  if (typeof value === 'string') {
    try {
      schema = JSON.parse(value);
    } catch (error) {
      throw invalidOption(name, `${EXPECTED} (${(error as Error).message})`, value);
    }
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw invalidOption(name, EXPECTED, value);
  validatorFor(schema as Record<string, unknown>, name);
  return schema as Record<string, unknown>;
}

/** The compiled validator of a schema (cached by its JSON text). */
function validatorFor(schema: Record<string, unknown>, name = 'jsonSchema'): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    try {
      validate = schemaCompiler().compile(schema);
    } catch (error) {
      throw invalidOption(name, `${EXPECTED} that compiles (${(error as Error).message})`, key);
    }
    compiled.set(key, validate);
  }
  return validate;
}

/** The value of `--json-schema`: the schema as compact JSON text. */
export function jsonSchemaArg(value: JsonSchemaOption): string {
  return JSON.stringify(parseJsonSchema(value));
}

/** What the schema says of one answer: the value, or why it is not acceptable. */
export type StructuredOutputCheck = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** `/scores/a: must be number`: each complaint with the place it applies to. */
function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`).join('; ');
}

/**
 * Checks the `structured_output` of a result event against the schema.
 *
 * @example
 * ```ts
 * import { checkStructuredOutput } from 'rx-orchestration/toolkit';
 * const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
 * console.log(checkStructuredOutput(schema, { ok: 'yes' })); // { ok: false, error: '... /ok must be boolean' }
 * ```
 */
export function checkStructuredOutput(schema: JsonSchemaOption, value: unknown): StructuredOutputCheck {
  if (value === undefined || value === null) {
    return { ok: false, error: 'Claude returned no structured output (jsonSchema was given, but the model never answered in it)' };
  }
  const validate = validatorFor(parseJsonSchema(schema));
  if (validate(value)) return { ok: true, value };
  return { ok: false, error: `Claude's structured output does not match jsonSchema: ${describeErrors(validate.errors)}` };
}
