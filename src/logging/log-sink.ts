/**
 * How a process hands its run to a log without knowing where the log lives. The session's
 * winston logs implement `ProcessLogSink`; so can anything else.
 */
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { ProcessEvent, ProcessResult } from '../process/types';

/** What a log states before any output. */
export interface RunLogHeader {
  readonly processId: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The prompt, for agent processes. */
  readonly prompt?: string;
  /** How the prompt or input was delivered, e.g. `argv` or `stdin (250000 bytes)`. */
  readonly delivery?: string;
  readonly terminal: boolean;
  /** Values to keep out of the log (secrets from the child's environment). */
  readonly secrets?: readonly string[];
}

/** One run's log. */
export interface RunLog {
  /** Records a `start` or `output` event; must not block. */
  record(event: ProcessEvent): void;
  /**
   * Records how the run ended (no result: it was abandoned by an unsubscribe) and resolves once
   * every line is on disk.
   */
  close(result: ProcessResult | undefined): Promise<void>;
}

export interface ProcessLogSink {
  open(header: RunLogHeader): RunLog;
}

/**
 * Writes a run's events to a log; the `result` is passed on only once the log is on disk, so a
 * Promise resolved from it never races the file.
 */
export function logEvents(sink: ProcessLogSink, header: RunLogHeader): MonoTypeOperatorFunction<ProcessEvent> {
  return (source) =>
    new Observable<ProcessEvent>((subscriber) => {
      const log = sink.open(header);
      let closed = false;
      const subscription = source.subscribe({
        next(event) {
          if (event.type !== 'result') {
            log.record(event);
            subscriber.next(event);
            return;
          }
          closed = true;
          const deliver = (): void => {
            subscriber.next(event);
            subscriber.complete();
          };
          log.close(event.result).then(deliver, deliver);
        },
        error(error) {
          closed = true;
          void log.close(undefined).finally(() => subscriber.error(error));
        },
        complete() {
          if (!closed) subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        if (!closed) void log.close(undefined).catch(() => undefined);
      };
    });
}
