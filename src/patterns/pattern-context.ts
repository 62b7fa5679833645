/**
 * What a pattern knows while it runs: the results so far, by process id (never by position), and
 * `phase()`, which runs one phase through `orchestrate` in the pattern's one session, so that
 * plan.json, the logs, stopping and the events are the orchestrator's own. The phase keeps the
 * index the pattern announced for it.
 */
import { defer, EMPTY, filter, map, type Observable, tap } from 'rxjs';
import { claudeRunOf } from '../agents/claude/run-info';
import type { OrchestrationEvent, PhaseInfo } from '../orchestrator/events';
import { orchestrate } from '../orchestrator/orchestrate';
import type { PhaseOptions, StrategyName } from '../orchestrator/plan';
import type { ProcessResult } from '../process/types';
import type { RunSpec } from '../process/spec';
import type { OrchestratorSession } from '../session/orchestrator-session';
import type { PatternOptions } from './pattern-options';

/** One phase of a pattern: its announced name, a strategy, and the specs it runs. */
export interface PatternPhase {
  readonly name: string;
  readonly strategy: StrategyName;
  readonly specs: readonly RunSpec[];
  readonly options?: PhaseOptions;
}

export class PatternContext {
  /** Every result so far, by process id. */
  readonly results = new Map<string, ProcessResult>();
  /** The results in the order their phases ended (for the summary). */
  readonly ordered: ProcessResult[] = [];
  /** A phase that failed with an error (not a process failure). */
  failure: Error | undefined;

  constructor(
    readonly session: OrchestratorSession | undefined,
    private readonly options: PatternOptions,
    readonly signal: AbortSignal,
    private readonly announced: readonly PhaseInfo[],
  ) {}

  /** Why the pattern stops early: the abort's reason, or null while it runs on. */
  get stoppedBy(): string | null {
    if (!this.signal.aborted) return null;
    return typeof this.signal.reason === 'string' ? this.signal.reason : 'abort';
  }

  /** Runs one phase (nothing once stopped); its results are recorded by process id. */
  phase(phase: PatternPhase): Observable<OrchestrationEvent> {
    return defer(() => {
      if (this.signal.aborted || this.failure || phase.specs.length === 0) return EMPTY;
      const index = this.announced.find((p) => p.name === phase.name)?.index ?? this.announced.length;
      const plan = { phases: [{ name: phase.name, strategy: phase.strategy, options: phase.options, processes: phase.specs.map((spec) => ({ processId: spec.processId, spec })) }] };
      const at = (info: PhaseInfo): PhaseInfo => ({ ...info, index });
      return orchestrate(plan, { session: this.session, signal: this.signal, forceSignal: this.options.forceSignal, outputGate: this.options.outputGate }).pipe(
        tap((event) => {
          if (event.type === 'phase-end') for (const result of event.results) this.record(result);
          if (event.type === 'summary' && event.error) this.failure = event.error;
        }),
        filter((event) => event.type !== 'plan-start' && event.type !== 'summary'),
        map((event) => (event.type === 'phase-start' || event.type === 'phase-end' ? { ...event, phase: at(event.phase) } : event)),
      );
    });
  }

  private record(result: ProcessResult): void {
    this.results.set(result.processId, result);
    this.ordered.push(result);
  }

  /** Whether the run of this id succeeded. */
  succeeded(processId: string): boolean {
    return this.results.get(processId)?.exitCode === 0;
  }

  /** The checked structured output of a successful run, or undefined. */
  structured<T>(processId: string): T | undefined {
    const result = this.results.get(processId);
    return result?.exitCode === 0 ? (claudeRunOf(result)?.structuredOutput as T | undefined) : undefined;
  }

  /** Why a run failed (its error, or that it never ran). */
  failureOf(processId: string): string {
    const result = this.results.get(processId);
    if (!result) return this.stoppedBy ? `not run: stopped (${this.stoppedBy})` : 'not run';
    return result.error ?? `exit code ${result.exitCode}`;
  }

  /** The failures among these ids, by id. */
  failuresAmong(ids: readonly string[]): Record<string, string> {
    return Object.fromEntries(ids.filter((id) => this.results.has(id) && !this.succeeded(id)).map((id) => [id, this.failureOf(id)]));
  }
}
