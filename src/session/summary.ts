/**
 * `summary.json`: a session's metadata and every result, secrets redacted, written 0600 (to a
 * new temporary file renamed over the name, never through a symlink), and whether the session's
 * logs are complete.
 */
import type { LogDirectory } from '../logging/log-directory';
import type { ClaudeTotals } from '../agents/claude/totals';
import type { ResultCounts } from '../events/count-results';
import { attemptsOf, type RetriedResult } from '../operators/retried-result';
import type { ProcessResult } from '../process/types';
import type { Redactor } from '../logging/redact';

/** The session's results counted by the one rule (`countResults`, src/events/count-results.ts). */
export type SummaryCounts = ResultCounts;

/** Durations in milliseconds, from `aggregateResults`. */
export interface SummaryTotals {
  /** Process time: the sum of every run's duration (every attempt's, with retries). */
  readonly totalDurationMs: number;
  /** Wall time from the earliest start to the latest end. */
  readonly criticalPathMs: number;
}

export interface SessionSummary {
  readonly sessionId: string;
  readonly patternName: string;
  readonly cwd: string;
  readonly sessionDir: string;
  readonly startedAt: string;
  readonly endedAt: string;
  /** Milliseconds from the session's creation to the summary. */
  readonly durationMs: number;
  readonly counts: SummaryCounts;
  /** Cost, turns and tokens summed over the Claude results; null when no result has Claude totals. */
  readonly claude: ClaudeTotals | null;
  /** From `aggregateResults`: process time and wall time end to end. */
  readonly totals?: SummaryTotals;
  /** Anything the caller adds (the CLI records its command and options). */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly results: readonly ProcessResult[];
  /**
   * Whether every log file of the session was written whole: `complete: false` lists each file
   * that could not be opened or written (a full disk, a refused symlink) and why.
   */
  readonly logs?: LogsStatus;
}

export interface LogsStatus {
  readonly complete: boolean;
  readonly errors: readonly { readonly file: string; readonly reason: string }[];
}

export { countResults } from '../events/count-results';

export function redactResult(result: ProcessResult, redact: Redactor): ProcessResult {
  const attempts = attemptsOf(result);
  const redacted: RetriedResult = {
    ...result,
    // A key-shaped id too.
    processId: redact(result.processId),
    output: redact(result.output),
    stderr: redact(result.stderr),
    error: result.error === null ? null : redact(result.error),
    // Retry: each attempt's error may quote stderr too.
    ...(attempts ? { attempts: attempts.map((a) => ({ ...a, error: a.error === null ? null : redact(a.error) })) } : {}),
  };
  return redacted;
}

export const SUMMARY_FILE = 'summary.json';

/** Writes `summary.json` into the directory; throws a `LogWriteError` when it cannot. */
export function writeSummaryFile(directory: LogDirectory, summary: SessionSummary): string {
  directory.replaceFile(SUMMARY_FILE, `${JSON.stringify(summary, null, 2)}\n`);
  return directory.display(SUMMARY_FILE);
}
