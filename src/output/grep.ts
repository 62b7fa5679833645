/**
 * Keeps the output lines that match a pattern; everything else passes through.
 *
 * ```text
 * events:            --s--o("ok\nerror: x\n")--r--|
 * grep(/error/):     --s--o("error: x\n")------r--|
 * ```
 */
import { stripVTControlCharacters } from 'node:util';
import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { ProcessEvent } from '../process/types';
import { invalidOption } from '../validate';
import { lineText, lines } from './lines';

export interface GrepOptions {
  /** Keep the lines that do NOT match instead (as `grep -v`). @default false */
  readonly invert?: boolean;
}

/**
 * The pattern as a RegExp that can be tested again and again: a string is compiled as a regular
 * expression (as grep does); the `g` and `y` flags are dropped, since they make `test` stateful.
 * Throws a TypeError naming the value when it is neither or does not compile.
 */
export function toLinePattern(pattern: unknown): RegExp {
  if (pattern instanceof RegExp) return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  if (typeof pattern !== 'string') throw invalidOption('pattern', 'a RegExp or a string', pattern);
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw invalidOption('pattern', `a valid regular expression (${(error as Error).message})`, pattern);
  }
}

/**
 * Cuts output into whole lines (see `lines()`) and keeps the output lines that match `pattern`.
 * A string is a regular expression, as for grep. The match is made on the line without its `\n`
 * and without terminal escape sequences, so colours never break a match; the line handed on keeps
 * them. Start and result events (and any other type) pass through untouched, so results, logs
 * and the strategies' decisions see everything; only output lines are dropped.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { CommandProcess, parallel } from 'rx-orchestration';
 * import { grep } from 'rx-orchestration/toolkit';
 * const job = new CommandProcess({ command: process.execPath, args: ['-e', 'console.log("ok 1\\nerror: disk full\\nok 2")'] });
 * from([job]).pipe(parallel(), grep(/error/)).subscribe((event) => {
 *   if (event.type === 'output') process.stdout.write(event.chunk); // error: disk full
 * });
 * ```
 */
export function grep(pattern: RegExp | string, options: GrepOptions = {}): MonoTypeOperatorFunction<ProcessEvent> {
  const regex = toLinePattern(pattern);
  const invert = options.invert ?? false;
  if (typeof invert !== 'boolean') throw invalidOption('invert', 'a boolean', invert);
  return (source) =>
    source.pipe(
      lines(),
      filter((event) => event.type !== 'output' || regex.test(stripVTControlCharacters(lineText(event))) !== invert),
    );
}
