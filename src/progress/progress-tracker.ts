/**
 * The state behind `progress()` (not exported): every event updates one entry and a few
 * counters in O(1) (an output chunk only feeds its process's `LastLine`); a snapshot reuses the
 * entry objects of processes that did not change, so it costs one array of references plus a new
 * object per running process.
 */
import { countsFromOutcomes, emptyTally, outcomeOf } from '../events/count-results';
import type { ProcessEvent, ProcessResult } from '../process/types';
import { LastLine } from './last-line';
import type { ProcessProgress, ProcessState, ProgressSnapshot } from './progress-types';

interface Entry {
  readonly processId: string;
  state: ProcessState;
  startedAt: number | null;
  endedAt: number | null;
  result: ProcessResult | null;
  readonly lastLine: LastLine;
  /** The view of a queued or finished entry, rebuilt only after it changed. */
  view: ProcessProgress | undefined;
}

export class ProgressTracker {
  private readonly entries: Entry[] = [];
  private readonly byId = new Map<string, Entry[]>();
  private readonly counts: Record<ProcessState, number> = { queued: 0, running: 0, succeeded: 0, failed: 0 };
  /** The finished results by outcome: the one counting rule (`outcomeOf`), kept up to date one result at a time. */
  private readonly outcomes = emptyTally();
  private ranMs = 0;
  private ran = 0;

  constructor(
    private readonly startedAt: number,
    private readonly options: { ids: readonly string[] | undefined; total: number | undefined; concurrency: number | undefined; lineWidth: number },
  ) {
    for (const id of options.ids ?? []) this.add(id);
  }

  /** Applies one event; false for event types it does not know (nothing changed). */
  apply(event: ProcessEvent, now: number): boolean {
    switch (event.type) {
      case 'start': {
        const entry = this.find(event.processId, ['queued', 'running', 'succeeded', 'failed']) ?? this.add(event.processId);
        this.finishUndo(entry);
        this.move(entry, 'running');
        entry.startedAt = now;
        entry.endedAt = null;
        return true;
      }
      case 'output': {
        const entry = this.find(event.processId, ['running', 'queued', 'succeeded', 'failed']) ?? this.add(event.processId);
        entry.lastLine.push(event.stream, event.chunk);
        entry.view = undefined;
        return true;
      }
      case 'result': {
        const entry = this.find(event.processId, ['running', 'queued', 'succeeded', 'failed']) ?? this.add(event.processId);
        this.finishUndo(entry);
        const { result } = event;
        this.move(entry, result.exitCode === 0 ? 'succeeded' : 'failed');
        entry.result = result;
        entry.endedAt = now;
        this.outcomes[outcomeOf(result)] += 1;
        if (entry.startedAt !== null) {
          this.ran += 1;
          this.ranMs += now - entry.startedAt;
        }
        return true;
      }
      default:
        return false;
    }
  }

  snapshot(now: number): ProgressSnapshot {
    const processes = this.entries.map((entry) => (entry.state === 'running' ? this.view(entry, now) : (entry.view ??= this.view(entry, now))));
    const { queued, running, succeeded, failed } = this.counts;
    const unseen = this.options.ids === undefined ? Math.max(0, (this.options.total ?? 0) - this.entries.length) : 0;
    const { notStarted, cancelled, timedOut, limitExceeded } = countsFromOutcomes(this.outcomes);
    return {
      at: now,
      elapsedMs: now - this.startedAt,
      total: this.entries.length + unseen,
      queued: queued + unseen,
      running,
      succeeded,
      failed,
      notStarted,
      cancelled,
      timedOut,
      limitExceeded,
      etaMs: this.eta(now, queued + unseen),
      processes,
    };
  }

  /**
   * (queued × mean + Σ over running of max(0, mean − its elapsed)) ÷ workers, where mean is the
   * mean run time of the finished processes that started, and workers is `concurrency` (at most
   * the processes left) or else the number running (at least 1). Null when that comes to 0
   * while processes still run (each has passed the mean): unknown, not "now".
   */
  private eta(now: number, queued: number): number | null {
    const running = this.entries.filter((entry) => entry.state === 'running');
    if (queued + running.length === 0) return 0;
    if (this.ran === 0) return null;
    const mean = this.ranMs / this.ran;
    let work = queued * mean;
    for (const entry of running) work += Math.max(0, mean - (now - (entry.startedAt ?? now)));
    // Every running process has passed the mean and nothing is queued: no basis for a number.
    if (work === 0) return null;
    const { concurrency } = this.options;
    const workers = concurrency === undefined ? Math.max(1, running.length) : Math.max(1, Math.min(concurrency, queued + running.length));
    return Math.round(work / workers);
  }

  private view(entry: Entry, now: number): ProcessProgress {
    const end = entry.state === 'running' ? now : entry.endedAt ?? now;
    return {
      processId: entry.processId,
      state: entry.state,
      startedAt: entry.startedAt,
      elapsedMs: entry.startedAt === null ? null : end - entry.startedAt,
      lastLine: entry.lastLine.text(),
      result: entry.result,
    };
  }

  private add(processId: string): Entry {
    const entry: Entry = { processId, state: 'queued', startedAt: null, endedAt: null, result: null, lastLine: new LastLine(this.options.lineWidth), view: undefined };
    this.entries.push(entry);
    const same = this.byId.get(processId);
    if (same) same.push(entry);
    else this.byId.set(processId, [entry]);
    this.counts.queued += 1;
    return entry;
  }

  /** The first entry with this id in the first of `states` that has one. */
  private find(processId: string, states: readonly ProcessState[]): Entry | undefined {
    const same = this.byId.get(processId);
    if (!same) return undefined;
    for (const state of states) {
      const found = same.find((entry) => entry.state === state);
      if (found) return found;
    }
    return undefined;
  }

  private move(entry: Entry, state: ProcessState): void {
    this.counts[entry.state] -= 1;
    this.counts[state] += 1;
    entry.state = state;
    entry.view = undefined;
  }

  /** A finished entry that runs again (a retry) or gets a second result gives back what its result counted. */
  private finishUndo(entry: Entry): void {
    const { result } = entry;
    if (result === null) return;
    this.outcomes[outcomeOf(result)] -= 1;
    if (entry.startedAt !== null && entry.endedAt !== null) {
      this.ran -= 1;
      this.ranMs -= entry.endedAt - entry.startedAt;
    }
    entry.result = null;
  }
}
