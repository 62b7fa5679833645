/**
 * Removes terminal escape sequences (colours, cursor movement) from output.
 *
 * ```text
 * events:       --o("\x1b[31mred\x1b[0m\n")--r--|
 * stripAnsi():  --o("red\n")------------------r--|
 * ```
 */
import { stripVTControlCharacters } from 'node:util';
import { map, type MonoTypeOperatorFunction } from 'rxjs';
import type { ProcessEvent } from '../process/types';
import { lines } from './lines';

/**
 * Cuts output into whole lines (see `lines()`, so a sequence split across two reads is still
 * recognised) and removes ANSI/VT escape sequences from each, with Node's
 * `util.stripVTControlCharacters`. Other events pass through untouched; results keep their
 * output as the process wrote it.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { CommandProcess, parallel } from 'rx-orchestration';
 * import { stripAnsi } from 'rx-orchestration/toolkit';
 * const job = new CommandProcess({ command: 'printf', args: ['\\033[32mgreen\\033[0m\\n'] });
 * from([job]).pipe(parallel(), stripAnsi()).subscribe((event) => {
 *   if (event.type === 'output') process.stdout.write(event.chunk); // green, uncoloured
 * });
 * ```
 */
export function stripAnsi(): MonoTypeOperatorFunction<ProcessEvent> {
  return (source) =>
    source.pipe(
      lines(),
      map((event) => (event.type === 'output' ? { ...event, chunk: stripVTControlCharacters(event.chunk) } : event)),
    );
}
