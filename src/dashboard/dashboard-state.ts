/**
 * The dashboard's picture of a run, built from its (already redacted) events: the groups (the
 * plan's phases, a pattern's rounds or levels), a record per process, the run's start, end,
 * outcome and a pattern's verdict. `snapshot()` is what a page loads first.
 */
import type { PhaseInfo, SummaryEvent } from '../orchestrator/events';
import type { DashboardEvent } from './dashboard-events';
import { ProcessRecord, type ProcessRow } from './process-record';

export type GroupState = 'pending' | 'running' | 'succeeded' | 'failed';

export interface GroupSnapshot {
  readonly index: number;
  readonly name: string;
  readonly strategy: string;
  readonly state: GroupState;
}

export interface RunSnapshot {
  /** ms since the epoch of the first event. */
  readonly startedAt: number | null;
  /** ms since the epoch of the summary; null while running. */
  readonly endedAt: number | null;
  /** The summary's verdict on the run; null while running. */
  readonly succeeded: boolean | null;
  readonly stopped: string | null;
  readonly groups: readonly GroupSnapshot[];
  readonly rows: readonly ProcessRow[];
  readonly verdict: { readonly pattern: string; readonly verdict: unknown } | null;
}

export class DashboardState {
  private readonly records = new Map<string, ProcessRecord>();
  private readonly groups = new Map<number, GroupSnapshot>();
  private startedAt: number | null = null;
  private summary: SummaryEvent | null = null;
  private verdict: RunSnapshot['verdict'] = null;

  constructor(private readonly outputChars: number) {}

  record(processId: string): ProcessRecord | undefined {
    return this.records.get(processId);
  }

  apply(event: DashboardEvent): void {
    this.startedAt ??= typeof event.at === 'number' ? event.at : Date.now();
    switch (event.type) {
      case 'plan-start':
        for (const phase of event.phases) this.group(phase, 'pending');
        return;
      case 'phase-start':
        this.group(event.phase, 'running');
        return;
      case 'phase-end':
        this.group(event.phase, event.succeeded ? 'succeeded' : 'failed');
        return;
      case 'summary':
        this.summary = event;
        return;
      case 'verdict':
        this.verdict = { pattern: event.pattern, verdict: event.verdict };
        return;
      case 'start':
      case 'output':
      case 'result':
      case 'agent':
        this.ensure(event.processId, null).apply(event);
        return;
      default:
      // An event of a kind this version does not know (a pattern's own): sent on, not shown.
    }
  }

  snapshot(): RunSnapshot {
    return {
      startedAt: this.startedAt,
      endedAt: this.summary?.at ?? null,
      succeeded: this.summary ? this.summary.succeeded : null,
      stopped: this.summary?.stopped ?? null,
      groups: [...this.groups.values()].sort((a, b) => a.index - b.index),
      rows: [...this.records.values()].map((record) => record.snapshot()),
      verdict: this.verdict,
    };
  }

  private group(phase: PhaseInfo, state: GroupState): void {
    this.groups.set(phase.index, { index: phase.index, name: phase.name, strategy: phase.strategy, state });
    for (const processId of phase.processIds) this.ensure(processId, phase.index).setGroup(phase.index);
  }

  private ensure(processId: string, group: number | null): ProcessRecord {
    let record = this.records.get(processId);
    if (!record) this.records.set(processId, (record = new ProcessRecord(processId, group, this.outputChars)));
    return record;
  }
}
