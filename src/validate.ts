/**
 * Option checks shared by every public entry point. Each failure is a TypeError that names
 * the option, the value received and its type, thrown before anything is spawned.
 */

function describe(value: unknown): string {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  let shown: string;
  try {
    shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    shown = '[unprintable]';
  }
  return `${shown} (${type})`;
}

export function invalidOption(name: string, expectation: string, value: unknown): TypeError {
  return new TypeError(`${name} must be ${expectation}, received ${describe(value)}`);
}

/** How `checkPositiveInteger` checks. */
export interface PositiveIntegerCheck {
  /** Accept `Infinity` too (no limit). @default false */
  readonly allowInfinity?: boolean;
}

/** A positive integer (or Infinity with `allowInfinity`). */
export function checkPositiveInteger(name: string, value: unknown, options: PositiveIntegerCheck = {}): number {
  const allowInfinity = options.allowInfinity ?? false;
  const ok =
    typeof value === 'number' &&
    value > 0 &&
    (Number.isInteger(value) || (allowInfinity && value === Number.POSITIVE_INFINITY));
  if (!ok) throw invalidOption(name, allowInfinity ? 'a positive integer or Infinity' : 'a positive integer', value);
  return value;
}

/** A finite number of milliseconds, zero allowed, or undefined. */
export function checkMilliseconds(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidOption(name, 'a finite number of milliseconds, 0 or more', value);
  }
  return value;
}

/**
 * The one value of an option that has two names (a seed alias and its new name): whichever is
 * given; both only when they agree, otherwise a TypeError naming both.
 */
export function oneOf<T>(names: readonly [string, string], values: readonly [T | undefined, T | undefined]): T | undefined {
  const [first, second] = values;
  if (first !== undefined && second !== undefined && first !== second) {
    throw new TypeError(`${names[0]} and ${names[1]} name the same option; give one (received ${JSON.stringify(first)} and ${JSON.stringify(second)})`);
  }
  return first ?? second;
}

/**
 * A timeout: a finite number of seconds, 0 or more, or undefined. 0 means no timeout, as for
 * execa and timeout(1); `timeoutMs` turns it into what a run waits for.
 */
export function checkTimeout(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidOption(name, 'a finite number of seconds, 0 or more (0: no timeout)', value);
  }
  return value;
}

/** Milliseconds a run may take for a checked timeout in seconds; undefined for none (or 0). */
export function timeoutMs(seconds: number | undefined): number | undefined {
  return seconds === undefined || seconds === 0 ? undefined : seconds * 1000;
}

/** A finite number of seconds, zero allowed, or undefined. */
export function checkGrace(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidOption(name, 'a finite number of seconds, 0 or more', value);
  }
  return value;
}

export function checkBoolean(name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalidOption(name, 'a boolean', value);
}

export function checkString(name: string, value: unknown, options: { allowEmpty?: boolean } = {}): string {
  if (typeof value !== 'string' || (!options.allowEmpty && value.length === 0)) {
    throw invalidOption(name, options.allowEmpty ? 'a string' : 'a non-empty string', value);
  }
  return value;
}

export function checkStringArray(name: string, value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalidOption(name, 'an array of strings', value);
  }
  return value;
}
