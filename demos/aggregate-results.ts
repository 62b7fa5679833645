// Aggregation: one summary of a whole run: results in submission order and by id, counts,
// process time and wall time (critical path), failures with reasons, Claude cost when there is any.
import { from, lastValueFrom } from 'rxjs';
import { aggregate, ClaudeProcess, claudeTotals, CommandProcess, parallel } from 'rx-orchestration';
import { claudeCommand } from './agent-command';

async function main(): Promise<void> {
  const jobs = [
    new ClaudeProcess({ prompt: 'Analyze security', processId: 'security', command: claudeCommand }),
    new ClaudeProcess({ prompt: 'Analyze performance', processId: 'performance', command: claudeCommand }),
    new CommandProcess({ command: process.execPath, args: ['-e', 'console.error("lint: 3 problems"); process.exit(2)'], processId: 'lint' }),
  ];
  const summary = await lastValueFrom(from(jobs).pipe(parallel({ maxWorkers: 3 }), aggregate(jobs)));

  console.log('submission order:', summary.results.map((r) => r.processId).join(', '));
  console.log('security output starts:', JSON.stringify(summary.byId.security.output.slice(0, 40)));
  console.log('counts:', JSON.stringify(summary.counts));
  console.log(`process time ${(summary.totalDurationMs / 1000).toFixed(2)} s, wall time ${(summary.criticalPathMs / 1000).toFixed(2)} s`);
  for (const failure of summary.failures) console.log(`failed: ${failure.processId} (exit ${failure.exitCode}, ${failure.reason}): ${failure.error}`);
  const claude = claudeTotals(summary.results);
  console.log('claude totals:', claude ? `$${claude.costUsd.toFixed(4)} over ${claude.runs} runs` : 'none reported');
  const expected = summary.counts.succeeded === 2 && summary.failures.length === 1 && summary.criticalPathMs <= summary.totalDurationMs;
  process.exitCode = expected ? 0 : 1;
}

void main();
