/**
 * One `LineEngine` per process and stream, for readers of the merged events of many runs, and the
 * one rule for when a process's unfinished lines end: at its result, and at the start of a retry
 * (an attempt's last unfinished line must not run into the next attempt's first one).
 */
import type { OutputStream, ProcessEvent } from '../types';
import { LineEngine, type LineEngineOptions } from './line-engine';

/** True when `event` ends its process's unfinished lines: its result, or the start of a retry. */
export function endsLines(event: ProcessEvent): boolean {
  return event.type === 'result' || (event.type === 'start' && (event.attempt ?? 1) > 1);
}

/** The unfinished lines of one process's stream, handed out by a flush. */
export interface FlushedLines {
  readonly processId: string;
  readonly stream: OutputStream;
  readonly lines: string[];
  /** The time (the caller's clock) of the last chunk that stream received. */
  readonly at: number;
}

interface Entry {
  readonly processId: string;
  readonly stream: OutputStream;
  readonly engine: LineEngine;
  at: number;
}

const STREAMS: readonly OutputStream[] = ['stdout', 'stderr'];

/**
 * Internal (the `lines()` operator, the renderer and the log sink use it): `push(processId,
 * stream, chunk)` returns the lines a chunk completes on that process's stream, and, when
 * `endsLines(event)` holds, `flush(processId)` hands out each stream's unfinished last line.
 * Outside the package, `lines()` (root) or one `LineEngine` per stream (`rx-orchestration/toolkit`)
 * does the same.
 */
export class LineEngines {
  private readonly byKey = new Map<string, Entry>();

  constructor(private readonly options: LineEngineOptions = {}) {}

  /** The lines `chunk` completes on that process's stream; `at` stamps a later flush. */
  push(processId: string, stream: OutputStream, chunk: string, at = 0): string[] {
    const key = `${stream}\0${processId}`;
    let entry = this.byKey.get(key);
    if (!entry) this.byKey.set(key, (entry = { processId, stream, engine: new LineEngine(this.options), at }));
    entry.at = at;
    return entry.engine.push(chunk);
  }

  /** The unfinished lines of a process (stdout, then stderr), handed out and forgotten. */
  flush(processId: string): FlushedLines[] {
    const flushed: FlushedLines[] = [];
    for (const stream of STREAMS) {
      const key = `${stream}\0${processId}`;
      const entry = this.byKey.get(key);
      if (!entry) continue;
      this.byKey.delete(key);
      flushed.push({ processId, stream, lines: entry.engine.flush(), at: entry.at });
    }
    return flushed;
  }

  /** The unfinished lines of every process, in the order their streams first wrote, all forgotten. */
  flushAll(): FlushedLines[] {
    const all = [...this.byKey.values()].map(({ processId, stream, engine, at }) => ({ processId, stream, lines: engine.flush(), at }));
    this.byKey.clear();
    return all;
  }
}
