/**
 * A pattern's check (`check` option, `--check "<command>"`): a command line the user wrote, run
 * by `sh -c` in the directory given (a worktree, the working directory). The shell is what the
 * user asked for: the text is theirs, run as they wrote it, never built from an agent's output.
 */
import type { CommandSpec } from '../process/spec';

/** A check: a shell command line, or a program and its arguments (no shell). */
export type CheckCommand = string | { readonly command: string; readonly args?: readonly string[] };

export function checkCheck(value: unknown): CheckCommand | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { command?: unknown }).command === 'string') return value as CheckCommand;
  throw new TypeError(`check must be a command line (string) or { command, args }, received ${JSON.stringify(value)}`);
}

/** The check as a command spec run in `cwd`. */
export function checkSpec(processId: string, check: CheckCommand, cwd: string | undefined, timeoutMs?: number): CommandSpec {
  const argv = typeof check === 'string' ? { command: 'sh', args: ['-c', check] } : { command: check.command, args: [...(check.args ?? [])] };
  return { kind: 'command', processId, ...argv, ...(cwd === undefined ? {} : { cwd }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
}

/** The tail of a check's output, for a reviewer. */
export function outputTail(output: string, chars: number): string {
  return output.length <= chars ? output : `[... ${output.length - chars} characters before]\n${output.slice(-chars)}`;
}
