/**
 * The process layer's contract: what a run is given (`RunOptions`) and what can be run
 * (`Runnable`). What a run emits and how it ends are protocol v1 (src/events/types.ts),
 * re-exported here for the files of this layer and those above.
 */
import type { Observable } from 'rxjs';
import type { ProcessEvent } from '../events/types';

export type {
  AgentEvent,
  EndReason,
  EventBase,
  OutputEvent,
  OutputStream,
  ProcessEvent,
  ProcessResult,
  ResultEvent,
  StampedEvent,
  StartEvent,
  Truncation,
} from '../events/types';

/** Settings a strategy may apply to one run without touching the process object. */
export interface RunOptions {
  /** Overrides the process's own timeout for this run, in milliseconds; 0 means no timeout. */
  readonly timeoutMs?: number;
  /**
   * Outputs of earlier processes to hand to this run (sequential and batched `passOutput`).
   * A Claude process appends them to its prompt; a command process receives them on stdin.
   */
  readonly context?: readonly PreviousOutput[];
  /** Aborting ends the run gracefully: the process group is killed and a `cancelled` result is emitted. */
  readonly signal?: AbortSignal;
}

/** One earlier output handed on by `passOutput`. */
export interface PreviousOutput {
  readonly processId: string;
  readonly output: string;
}

/**
 * What every strategy accepts: something with an id that can be run, cold, any number of times.
 * `CommandProcess` and `ClaudeProcess` implement it; so can your own classes. Their events
 * should carry `seq` (pipe them through `sequenced()`); without it they still work everywhere,
 * and the encoders number them.
 */
export interface Runnable {
  readonly processId: string;
  /** A cold Observable: each subscription spawns a new run; unsubscribing kills it. */
  events(options?: RunOptions): Observable<ProcessEvent>;
}
