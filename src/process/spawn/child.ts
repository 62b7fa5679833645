/**
 * The contract between the process Observable and the two ways of starting a child:
 * plain pipes (`pipe-child.ts`) and a pseudo-terminal (`terminal-child.ts`).
 */
import type { SchedulerLike } from 'rxjs';
import type { LifelineOptions } from './lifeline';
import type { OutputGate } from '../buffer/output-gate';
import type { OutputStream } from '../types';

export interface ChildSpec {
  /** Absolute path of the executable, as found by `resolveCommand`. */
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Bytes for the child's stdin; without it the child sees end-of-input at once. */
  readonly input?: string | Buffer;
  /** How long to wait for pipes held open by descendants after the child exited. */
  readonly exitGraceMs: number;
  /** The clock of the exit grace. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
  readonly cols: number;
  readonly rows: number;
  /** While closed, stop reading the child's output (it blocks once its pipe is full). */
  readonly gate?: OutputGate;
  /** Run under the lifeline (lifeline.ts) with these settings, when it is available. */
  readonly lifeline?: LifelineOptions;
}

/** How the child ended: an exit code, or the signal that killed it. */
export interface ChildEnd {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ChildHooks {
  /**
   * Decoded output, in order. Never called after `ended`. `bytes` is what was read (on a
   * terminal, with each `\r\n` made `\n`) and `text` its streaming decode (possibly empty: a read
   * that ended inside a character; the decoder's final flush comes with no bytes). The bytes may
   * be a view of a buffer reused after the call: copy what is kept.
   */
  output(stream: OutputStream, text: string, bytes?: Buffer): void;
  /** The main process is gone; descendants may still hold its output open. */
  exited(): void;
  /** The child exited and its output is drained: called once, last. */
  ended(end: ChildEnd): void;
  /** The child could not be started (reported after `start*Child` returned). */
  failed(error: Error): void;
}

export interface ChildHandle {
  /** The pid of the group leader (the lifeline when there is one): `-pid` addresses the whole tree. */
  readonly pid: number;
  /** Detaches listeners and closes what is still open. Idempotent. */
  release(): void;
}

/**
 * Pauses `pause` while `gate` is closed and resumes on `resume` when it opens, now and on every
 * change; returns the unwatch. Without a gate, nothing to do.
 */
export function followGate(gate: OutputGate | undefined, pause: () => void, resume: () => void): () => void {
  if (!gate) return () => undefined;
  if (!gate.open) pause();
  return gate.watch((open) => (open ? resume() : pause()));
}
