/**
 * `streamOutput: true`: mirrors output live to the host's stdout and stderr, one whole line at a
 * time, each line prefixed with its process id so that parallel output stays readable. Works on
 * one process's events or on the merged events of many (lines are kept apart per process).
 */
import { defer, tap, type MonoTypeOperatorFunction } from 'rxjs';
import { LineSplitter } from '../process/text/line-splitter';
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
 * import { CommandProcess, mirrorOutput, parallel } from 'rx-orchestration';
 * const jobs = ['one', 'two'].map((word) => new CommandProcess({ command: 'echo', args: [word], processId: word }));
 * from(jobs).pipe(parallel(), mirrorOutput()).subscribe(); // prints "[one] one" and "[two] two"
 * ```
 */
export function mirrorOutput(target: MirrorTarget = process): MonoTypeOperatorFunction<ProcessEvent> {
  return (source) =>
    defer(() => {
      const splitters = new Map<string, LineSplitter>();
      const splitter = (processId: string, stream: OutputStream): LineSplitter => {
        const key = `${stream}\0${processId}`;
        let found = splitters.get(key);
        if (!found) splitters.set(key, (found = new LineSplitter()));
        return found;
      };
      const write = (processId: string, stream: OutputStream, lines: string[]): void => {
        if (lines.length > 0) target[stream].write(lines.map((line) => `[${processId}] ${line}\n`).join(''));
      };
      return source.pipe(
        tap((event) => {
          if (event.type === 'output') write(event.processId, event.stream, splitter(event.processId, event.stream).push(event.chunk));
          // A result, or the start of a retry (`attempt` > 1), ends the unfinished last lines.
          else if (event.type === 'result' || (event.type === 'start' && (event.attempt ?? 1) > 1)) {
            for (const stream of ['stdout', 'stderr'] as const) {
              write(event.processId, stream, splitter(event.processId, stream).flush());
              splitters.delete(`${stream}\0${event.processId}`);
            }
          }
        }),
      );
    });
}
