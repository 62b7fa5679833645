/**
 * The line under the CLI's summary table, from `aggregateResults`: counts, wall time (critical
 * path) and process time. Claude cost and tokens follow on their own line (`claudeTotalsLine`).
 */
import type { Aggregate } from '../index';

export function summaryFooter(summary: Aggregate): string {
  const { counts } = summary;
  const breakdown = [
    counts.timedOut > 0 ? `${counts.timedOut} timed out` : '',
    counts.cancelled > 0 ? `${counts.cancelled} cancelled` : '',
    counts.notStarted > 0 ? `${counts.notStarted} not started` : '',
    counts.limitExceeded > 0 ? `${counts.limitExceeded} over a limit` : '',
  ].filter(Boolean);
  const failed = `${counts.failed} failed${breakdown.length > 0 ? ` (${breakdown.join(', ')})` : ''}`;
  const parts = [
    `${counts.total} process${counts.total === 1 ? '' : 'es'}: ${counts.succeeded} succeeded, ${failed}`,
    `wall ${(summary.criticalPathMs / 1000).toFixed(2)} s, process time ${(summary.totalDurationMs / 1000).toFixed(2)} s`,
  ];
  return `${parts.join('; ')}\n`;
}
