/**
 * Protocol v1: everything a run emits, as plain JSON-ready objects. Every event names its
 * process (`processId`), when it happened (`at`, ms since the epoch) and its place in the run
 * (`seq`: 0, 1, 2, ... in emission order). The last event of a run is its `result`.
 *
 * This file imports nothing: it is the vocabulary every layer above shares (see docs/events.md).
 */

/** The protocol's major version: what `"v"` says on every encoded event. */
export const PROTOCOL_VERSION = 1;

/** Which stream of the child an output chunk came from. Terminal mode has one stream: `stdout`. */
export type OutputStream = 'stdout' | 'stderr';

/** What every event carries. */
export interface EventBase {
  readonly processId: string;
  /** When the event happened, milliseconds since the epoch. */
  readonly at: number;
  /**
   * The event's place in its run: 0 for the first, then 1, 2, ... in emission order, continuing
   * across retry attempts; unique per `processId` within a run. Every Runnable this library builds
   * stamps it (`sequenced()`), and the encoders stamp it when absent; a Runnable of your own may
   * leave it out.
   */
  readonly seq?: number;
}

/** Emitted once per attempt, right after the child was spawned. */
export interface StartEvent extends EventBase {
  readonly type: 'start';
  /** Operating-system process id (in terminal mode, the id of the supervising shell that leads the group). */
  readonly pid: number;
  readonly command: string;
  readonly args: readonly string[];
  /** With `retry`: which attempt this start begins, 1 for the first. */
  readonly attempt?: number;
}

/** A piece of output, decoded as UTF-8 (a character split across reads is never broken). */
export interface OutputEvent extends EventBase {
  readonly type: 'output';
  readonly stream: OutputStream;
  readonly chunk: string;
}

/** Emitted once, last, when the process has ended and its output is drained. */
export interface ResultEvent extends EventBase {
  readonly type: 'result';
  readonly result: ProcessResult;
}

/**
 * What an agent adapter parsed from its agent's output (Claude today: `agent: 'claude'`). The
 * process layer passes it on without knowing it; `event` is a JSON value whose shape the
 * adapter documents (for Claude, `ClaudeEvent`; narrow with `isClaudeEvent`).
 */
export interface AgentEvent<Agent extends string = string, Payload = unknown> extends EventBase {
  readonly type: 'agent';
  /** Which adapter produced it, e.g. `claude`. */
  readonly agent: Agent;
  /** The parsed event, a JSON value. */
  readonly event: Payload;
  /**
   * One line for people (a tool used, an API retry, the run's totals), so that logs and screens
   * can show agent events without knowing the agent; absent when the event is not worth a line
   * of its own (an answer's text is already `output`).
   */
  readonly description?: string;
}

/**
 * A remote run (src/cluster/) was started again on another worker: the worker that ran it died
 * (its lock expired) or handed it back when it was shut down. The events before it came from the
 * earlier attempt; the next `start` begins the new one. Local runs never emit it.
 */
export interface RestartEvent extends EventBase {
  readonly type: 'restart';
  /** The worker that takes the run now. */
  readonly workerId: string;
  /** The worker that ran it before. */
  readonly previousWorkerId: string;
  /** Which start of the job this is on the cluster, 2 for the first restart. */
  readonly attempt: number;
}

/** Everything a process Observable emits: a discriminated union on `type`. */
export type ProcessEvent = StartEvent | OutputEvent | ResultEvent | AgentEvent | RestartEvent;

/** An event with its `seq`: what `sequenced()` and `fromNdjson()` give and the wire always carries. */
export type StampedEvent<E extends ProcessEvent = ProcessEvent> = E & { readonly seq: number };

/** Why a process ended, in one word. */
export type EndReason = 'exit' | 'signal' | 'timeout' | 'cancelled' | 'spawn-error' | 'not-started' | 'error';

/**
 * How a process ended: the process layer's facts only. Layers above add their own facts on the
 * same object, each with an extension type and an accessor where it lives: `claude`
 * (`ClaudeResult`, `claudeRunOf`), `attempts` (`RetriedResult`, `attemptsOf`), `halted`
 * (`HaltedResult`, `wasHalted`). The first five fields are the original design's contract.
 */
export interface ProcessResult {
  /** 0 success, -1 timeout, anything else failure (127 not found, 126 not executable, 128+n killed by signal n). */
  readonly exitCode: number;
  /** Everything the process wrote to stdout (in terminal mode: to its terminal), `\r\n` normalised to `\n`. */
  readonly output: string;
  /** Everything the process wrote to stderr (always empty in terminal mode). */
  readonly stderr: string;
  /** Wall time in seconds from spawn to the end of its output. */
  readonly duration: number;
  readonly processId: string;
  /** True when the process was stopped because its timeout elapsed. */
  readonly timedOut: boolean;
  /** True when the run was cancelled through an AbortSignal (or never started because of one). */
  readonly cancelled: boolean;
  /** The signal that ended the process, or null when it exited on its own. */
  readonly signal: NodeJS.Signals | null;
  /** True when the process had to be killed with SIGKILL after ignoring SIGTERM for the grace period. */
  readonly forced: boolean;
  /** Operating-system process id, or null when nothing was spawned. */
  readonly pid: number | null;
  /** When the process was spawned (or when the attempt was made), ms since the epoch. */
  readonly startedAt: number;
  /** Why the process ended. */
  readonly reason: EndReason;
  /** A clear message when the process failed to run or failed; null on success. */
  readonly error: string | null;
  /** Null when `output` and `stderr` are complete; otherwise what `maxBuffer` cut. */
  readonly truncated: Truncation | null;
  /** With `limits`: the limit the process ran into (`error` says so); absent otherwise. */
  readonly limitExceeded?: 'memory' | 'cpu';
}

/**
 * A result kept only the last `maxBuffer` characters of a stream that wrote more. Live output
 * events and logs still carried everything.
 */
export interface Truncation {
  /** Which part of each stream the result kept. */
  readonly kept: 'last';
  readonly maxBuffer: number;
  /** UTF-16 units dropped from the start of stdout, exactly: its length minus `output.length` (0: complete). */
  readonly stdoutDropped: number;
  /** UTF-16 units dropped from the start of stderr, exactly: its length minus `stderr.length` (0: complete). */
  readonly stderrDropped: number;
}
