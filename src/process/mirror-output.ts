/**
 * `streamOutput: true`: mirrors a process's output live to the host's stdout and stderr, one
 * whole line at a time, each line prefixed with the process id so that parallel output stays
 * readable.
 */
import { defer, tap, type MonoTypeOperatorFunction } from 'rxjs';
import { LineSplitter } from './line-splitter';
import type { OutputStream, ProcessEvent } from './types';

/** Where mirrored lines go; defaults to the host's own stdout and stderr. */
export interface MirrorTarget {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export function mirrorOutput(target: MirrorTarget = process): MonoTypeOperatorFunction<ProcessEvent> {
  return (source) =>
    defer(() => {
      const splitters: Record<OutputStream, LineSplitter> = { stdout: new LineSplitter(), stderr: new LineSplitter() };
    const write = (processId: string, stream: OutputStream, lines: string[]): void => {
      if (lines.length > 0) target[stream].write(lines.map((line) => `[${processId}] ${line}\n`).join(''));
    };
    return source.pipe(
      tap((event) => {
        if (event.type === 'output') write(event.processId, event.stream, splitters[event.stream].push(event.chunk));
        else if (event.type === 'result') {
          write(event.processId, 'stdout', splitters.stdout.flush());
          write(event.processId, 'stderr', splitters.stderr.flush());
        }
      }),
    );
    });
}
