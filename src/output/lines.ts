/**
 * Whole lines from output chunks: after `lines()`, each output event carries exactly one line.
 *
 * ```text
 * events:  --s--o("a\nb")--o("c\n")--o("d")--r--|
 * lines(): --s--o("a\n")---o("bc\n")--------o("d")r--|
 * ```
 */
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { OutputEvent, OutputStream, ProcessEvent } from '../process/types';
import { endsLines, LineEngines } from '../process/text/line-engines';

/**
 * The text of a line event from `lines()`, without its `\n`.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { CommandProcess, lines, parallel } from 'rx-orchestration';
 * import { lineText } from 'rx-orchestration/toolkit';
 * const job = new CommandProcess({ command: 'printf', args: ['one\\ntwo\\n'] });
 * from([job]).pipe(parallel(), lines()).subscribe((event) => {
 *   if (event.type === 'output') console.log(lineText(event).toUpperCase()); // ONE, then TWO
 * });
 * ```
 */
export function lineText(event: OutputEvent): string {
  return event.chunk.endsWith('\n') ? event.chunk.slice(0, -1) : event.chunk;
}

/**
 * Re-cuts output events into one event per whole line, kept apart per process and stream. A line
 * event's `chunk` is the line followed by `\n`; a last line that never got its `\n` is handed out
 * without one, just before the process's result, before the start of a retry (attempt 2 and on),
 * or when the source completes. `\r\n` becomes
 * `\n`; a line rewritten with lone `\r`s (a progress bar) becomes its final state, the text after
 * its last `\r`. A line longer than 64 KiB comes in pieces. `at` is the time of the chunk that
 * completed the line. Start, result and any other events pass through untouched, in order.
 * Applying `lines()` twice changes nothing.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { CommandProcess, lines, parallel } from 'rx-orchestration';
 * const job = new CommandProcess({ command: process.execPath, args: ['-e', 'process.stdout.write("a\\nb"); setTimeout(() => console.log("c"), 50)'] });
 * from([job]).pipe(parallel(), lines()).subscribe((event) => {
 *   if (event.type === 'output') console.log(JSON.stringify(event.chunk)); // "a\n" then "bc\n"
 * });
 * ```
 */
export function lines(): MonoTypeOperatorFunction<ProcessEvent> {
  return (source) =>
    new Observable<ProcessEvent>((subscriber) => {
      const engines = new LineEngines({ mode: 'cr' });
      const emit = (processId: string, stream: OutputStream, texts: readonly string[], at: number, ended: boolean): void => {
        texts.forEach((text, i) =>
          subscriber.next({ type: 'output', processId, stream, chunk: ended && i === texts.length - 1 ? text : `${text}\n`, at }),
        );
      };
      return source.subscribe({
        next(event) {
          if (event.type === 'output') {
            emit(event.processId, event.stream, engines.push(event.processId, event.stream, event.chunk, event.at), event.at, false);
            return;
          }
          if (endsLines(event)) {
            for (const { stream, lines, at } of engines.flush(event.processId)) emit(event.processId, stream, lines, at, true);
          }
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          for (const { processId, stream, lines, at } of engines.flushAll()) emit(processId, stream, lines, at, true);
          subscriber.complete();
        },
      });
    });
}
