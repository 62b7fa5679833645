/**
 * The end of an orchestration: summary.json written (details: how it was stopped, what it
 * resumed), the exit recorded in session.log, the session closed when the orchestrator opened it,
 * and the `summary` event that carries it all.
 */
import { claudeTotals } from '../agents/claude/totals';
import type { ProcessResult } from '../process/types';
import type { OrchestratorSession } from '../session/orchestrator-session';
import { aggregateResults } from '../strategies/aggregate';
import type { StopKind, SummaryEvent } from './events';

export interface FinishInput {
  readonly session: OrchestratorSession | undefined;
  /** The orchestrator opened the session: it closes it. */
  readonly owned: boolean;
  readonly results: readonly ProcessResult[];
  readonly succeeded: boolean;
  readonly failure: Error | undefined;
  readonly stopped: StopKind | null;
  readonly stoppedBy: string | undefined;
  readonly resumedFrom: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
}

export async function finish(input: FinishInput): Promise<SummaryEvent> {
  const { session, results, stoppedBy } = input;
  const base = {
    type: 'summary' as const,
    succeeded: input.succeeded,
    results,
    aggregate: aggregateResults(results),
    claude: claudeTotals(results),
    stopped: input.stopped,
    ...(stoppedBy !== undefined ? { stoppedBy } : {}),
    ...(input.failure ? { error: input.failure } : {}),
  };
  if (!session) return { ...base, at: Date.now() };
  // A summary that cannot be written (a full disk) is reported like any log file; the run ends normally.
  const summaryPath = await session
    .writeSummary(results, { ...input.details, interruptedBy: stoppedBy ?? null, ...(input.resumedFrom ? { resumedFrom: input.resumedFrom } : {}) })
    .catch(() => null);
  session.log(`exit: ${stoppedBy ?? (input.succeeded ? 'success' : 'failure')}`);
  if (input.owned) await session.close();
  return { ...base, at: Date.now(), sessionDir: session.sessionDir, summaryPath, ...(input.owned ? { logErrors: session.logErrors() } : {}) };
}
