// Multi-agent parallel analysis: three agents at once, results as they complete.
import { OrchestratorSession, runParallel, inSubmissionOrder } from 'rx-orchestration';
import { claudeCommand } from './agent-command';

async function main(): Promise<void> {
  const session = new OrchestratorSession({ patternName: 'multi-agent', command: claudeCommand });
  const agents = [
    session.createProcess('Analyze security', 'security'),
    session.createProcess('Analyze performance', 'performance'),
    session.createProcess('Analyze maintainability', 'maintainability'),
  ];
  session.log('Starting analysis');
  const results = await runParallel(agents, { maxWorkers: 3 });

  for (const result of results) {
    if (result.exitCode === 0) console.log(`✓ ${result.processId}: ${result.duration.toFixed(1)}s`);
    else console.log(`✗ ${result.processId}: FAILED (${result.error})`);
  }
  console.log('submission order:', inSubmissionOrder(results, agents).map((r) => r.processId).join(', '));
  console.log(`${results.filter((r) => r.exitCode === 0).length}/${results.length} succeeded; logs in ${session.sessionDir}`);
  await session.writeSummary(results);
  await session.close();
  process.exitCode = results.every((r) => r.exitCode === 0) ? 0 : 1;
}

void main();
