/**
 * Keeps only the last `n` output lines of each process, handed out just before its result.
 *
 * ```text
 * events:    --s--o("1\n2\n3\n")--o("4\n")--r--|
 * tail(2):   --s----------------------(o("3\n")o("4\n")r)--|
 * ```
 */
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { OutputEvent, ProcessEvent } from '../process/types';
import { checkPositiveInteger } from '../validate';
import { lines } from './lines';

/**
 * Cuts output into whole lines (see `lines()`) and holds back each process's output, keeping only
 * its last `n` lines (stdout and stderr together, in the order they came); they are emitted, in
 * order, right before the process's result. Start events (and unknown types) pass through at
 * once. Lines of a process whose result never comes are emitted when the source completes.
 * Memory: at most `n` lines per running process.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { CommandProcess, parallel } from 'rx-orchestration';
 * import { tail } from 'rx-orchestration/toolkit';
 * const job = new CommandProcess({ command: 'seq', args: ['1', '1000'], processId: 'seq' });
 * from([job]).pipe(parallel(), tail(3)).subscribe((event) => {
 *   if (event.type === 'output') process.stdout.write(event.chunk); // 998, 999, 1000
 * });
 * ```
 */
export function tail(n: number): MonoTypeOperatorFunction<ProcessEvent> {
  const keep = checkPositiveInteger('n', n, { allowInfinity: true });
  return (source) =>
    new Observable<ProcessEvent>((subscriber) => {
      const held = new Map<string, LastLines>();
      const release = (processId: string): void => {
        for (const line of held.get(processId)?.inOrder() ?? []) subscriber.next(line);
        held.delete(processId);
      };
      return source.pipe(lines()).subscribe({
        next(event) {
          if (event.type === 'output') {
            let kept = held.get(event.processId);
            if (!kept) held.set(event.processId, (kept = new LastLines(keep)));
            kept.add(event);
            return;
          }
          if (event.type === 'result') release(event.processId);
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          for (const processId of [...held.keys()]) release(processId);
          subscriber.complete();
        },
      });
    });
}

/** A ring of the last `size` line events: adding is O(1) however large `size` is. */
class LastLines {
  private readonly ring: OutputEvent[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  add(event: OutputEvent): void {
    if (this.ring.length < this.size) {
      this.ring.push(event);
      return;
    }
    this.ring[this.next] = event;
    this.next = (this.next + 1) % this.size;
  }

  inOrder(): OutputEvent[] {
    return this.ring.length < this.size ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}
