/**
 * The environment a child gets: the host's (unless `extendEnv: false`) plus the run's `env`
 * (an `undefined` value removes a variable), minus the variables a kind of run must not inherit.
 */
import type { RunSpec } from '../process/spec';

export function childEnvironment(options: Pick<RunSpec, 'env' | 'extendEnv'>, drop: readonly string[] = []): Record<string, string> {
  const extra = options.env ?? {};
  // Nothing added or removed: the host's environment itself, read once, by spawn, as a plain
  // spawn loop would (copying it here first cost a millisecond per run under load).
  // So is a host environment without any of the variables to drop (asked one by one, not copied).
  if (options.extendEnv !== false && Object.keys(extra).length === 0 && drop.every((key) => !(key in process.env))) {
    return process.env as Record<string, string>;
  }
  // Read key by key: spreading `process.env` (a host object) costs twice as much, on every spawn.
  const env: Record<string, string> = {};
  if (options.extendEnv !== false) {
    const host = process.env;
    for (const key of Object.keys(host)) {
      const value = host[key];
      if (value !== undefined) env[key] = value;
    }
  }
  for (const key of Object.keys(extra)) {
    const value = extra[key];
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  for (const key of drop) delete env[key];
  return env;
}
