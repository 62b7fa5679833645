/**
 * `sequenced()`: stamps every event of a run with its `seq` (0, 1, 2, ... per `processId`, in
 * emission order) and fills `at` where it is missing. Applied at the outermost level of a run,
 * after retry has joined its attempts, so one run has one monotonic sequence.
 *
 * ```text
 * events:       -s---o--o---(r|)        (s: start, o: output, r: result; one process)
 * sequenced():  -s0--o1-o2--(r3|)
 * ```
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { ProcessEvent, StampedEvent } from './types';

/** Numbers events per process id: the shared core of `sequenced()` and the encoders. */
export class SequenceCounter {
  private readonly next = new Map<string, number>();

  /**
   * The event with the next number of its process; `overwrite: false` keeps a `seq` it already
   * has (and numbers a later event without one after it).
   */
  stamp<E extends ProcessEvent>(event: E, options: { readonly overwrite: boolean }): StampedEvent<E> {
    const next = this.next.get(event.processId) ?? 0;
    const keep = !options.overwrite && Number.isSafeInteger(event.seq) && (event.seq as number) >= 0;
    const hasAt = typeof event.at === 'number' && Number.isFinite(event.at);
    // A kept number moves the count past it, so an unnumbered event after it comes after it.
    const seq = keep ? (event.seq as number) : next;
    this.next.set(event.processId, Math.max(seq + 1, next));
    // Already right (the process layer numbers its own events): no copy.
    if (event.seq === seq && hasAt) return event as StampedEvent<E>;
    return { ...event, at: hasAt ? event.at : Date.now(), seq } as StampedEvent<E>;
  }
}

/**
 * Operator: numbers each subscription's events from 0 per process id, replacing any `seq` they
 * had (an inner run's numbering restarts with each retry attempt; the outer one counts on), and
 * sets `at` to the current time on an event without one.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { type ProcessEvent } from 'rx-orchestration';
 * import { sequenced } from 'rx-orchestration/toolkit';
 * const events: ProcessEvent[] = [
 *   { type: 'output', processId: 'a', stream: 'stdout', chunk: 'hi\n', at: 1 },
 *   { type: 'output', processId: 'a', stream: 'stdout', chunk: 'there\n', at: 2 },
 * ];
 * from(events).pipe(sequenced()).subscribe((event) => console.log(event.seq)); // 0, then 1
 * ```
 */
export function sequenced<E extends ProcessEvent>(): OperatorFunction<E, StampedEvent<E>> {
  return (source) =>
    new Observable<StampedEvent<E>>((subscriber) => {
      const counter = new SequenceCounter();
      return source.subscribe({
        next: (event) => subscriber.next(counter.stamp(event, { overwrite: true })),
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
