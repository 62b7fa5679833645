/**
 * Signal numbers as names: node-pty and the lifeline's exit marker report a number, results carry
 * the name (`'SIGTERM'`).
 */
import { constants } from 'node:os';

/** Converts a numeric signal to its name; null for none or an unknown number. */
export function signalName(signal: number | undefined | null): NodeJS.Signals | null {
  if (!signal) return null;
  const entry = Object.entries(constants.signals).find(([, value]) => value === signal);
  return entry ? (entry[0] as NodeJS.Signals) : null;
}
