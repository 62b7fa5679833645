/**
 * What a dashboard shows: process events, the orchestrator's events, and an optional last
 * `verdict` from a pattern. Groups come from `phase-start`/`phase-end` (a pattern announces its
 * rounds or levels as phases), so the dashboard needs no code of its own per pattern.
 */
import type { OrchestrationEvent } from '../orchestrator/events';

/**
 * A pattern's conclusion, shown under the header when it comes (usually last). Looser than the
 * patterns' own `VerdictEvent` (any pattern name, any verdict), which is one of these.
 */
export interface DashboardVerdict {
  readonly type: 'verdict';
  readonly at?: number;
  /** The pattern's name. */
  readonly pattern: string;
  /** What it concluded: a word, a sentence or a JSON value. */
  readonly verdict: unknown;
}

/** Everything `dashboard()` accepts. */
export type DashboardEvent = OrchestrationEvent | DashboardVerdict;
