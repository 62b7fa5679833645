/**
 * `streamOutput: true`: mirrors output live to the host's stdout and stderr, one whole line at a
 * time, each line prefixed with its process id so that parallel output stays readable. Works on
 * one process's events or on the merged events of many (lines are kept apart per process).
 */
import { defer, tap, type MonoTypeOperatorFunction } from 'rxjs';
import { endsLines, LineEngines } from '../process/text/line-engines';
import type { OutputStream, ProcessEvent } from '../process/types';

/** Where mirrored lines go; defaults to the host's own stdout and stderr. */
export interface MirrorTarget {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { CommandProcess, parallel } from 'rx-orchestration';
 * import { mirrorOutput } from 'rx-orchestration/toolkit';
 * const jobs = ['one', 'two'].map((word) => new CommandProcess({ command: 'echo', args: [word], processId: word }));
 * from(jobs).pipe(parallel(), mirrorOutput()).subscribe(); // prints "[one] one" and "[two] two"
 * ```
 */
export function mirrorOutput(target: MirrorTarget = process): MonoTypeOperatorFunction<ProcessEvent> {
  return (source) =>
    defer(() => {
      const engines = new LineEngines();
      const write = (processId: string, stream: OutputStream, lines: string[]): void => {
        if (lines.length > 0) target[stream].write(lines.map((line) => `[${processId}] ${line}\n`).join(''));
      };
      return source.pipe(
        tap((event) => {
          if (event.type === 'output') write(event.processId, event.stream, engines.push(event.processId, event.stream, event.chunk));
          // A result, or the start of a retry, ends the unfinished last lines.
          else if (endsLines(event)) for (const { stream, lines } of engines.flush(event.processId)) write(event.processId, stream, lines);
        }),
      );
    });
}
