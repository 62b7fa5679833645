/**
 * What a pattern emits beyond the orchestrator's events: one last `verdict` event, typed by the
 * pattern. Every verdict says whether a decision was reached (`decided`) and, when not, why
 * (`reason`): a reviewer, moderator or aggregator that failed is reported, never replaced by a
 * silent pick. Everything in a verdict is keyed by process id.
 */
import type { OrchestrationEvent } from '../orchestrator/events';

/** The patterns of this library. */
export type PatternName = 'n-version' | 'debate' | 'cascade' | 'panel';

/** What every verdict has. */
export interface VerdictBase {
  /** A decision was reached (the reviewer, moderator, aggregator or a level's gate gave one). */
  readonly decided: boolean;
  /** Why no decision was reached (or what limited it); null when decided without reservation. */
  readonly reason: string | null;
  /** The runs that failed, by process id: their error. */
  readonly failures: Readonly<Record<string, string>>;
}

/** The last event of a pattern. */
export interface VerdictEvent<V extends VerdictBase = VerdictBase> {
  readonly type: 'verdict';
  readonly at: number;
  readonly pattern: PatternName;
  readonly verdict: V;
}

/** What a pattern's Observable emits: process and orchestrator events, then the verdict. */
export type PatternEvent<V extends VerdictBase = VerdictBase> = OrchestrationEvent | VerdictEvent<V>;

/** Whether an event is a pattern's verdict. */
export function isVerdictEvent<V extends VerdictBase>(event: PatternEvent<V> | { readonly type: string }): event is VerdictEvent<V> {
  return event.type === 'verdict';
}
