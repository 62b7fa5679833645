// Sequential pipeline: each stage receives the earlier stages' outputs in its prompt.
import { OrchestratorSession, runSequential } from 'rx-orchestration';
import { claudeCommand } from './agent-command';

async function main(): Promise<void> {
  const session = new OrchestratorSession({ patternName: 'pipeline', command: claudeCommand });
  const stages = [
    session.createProcess('Analyze codebase', 'analyze'),
    session.createProcess('Create improvement plan', 'plan'),
    session.createProcess('Implement improvements', 'implement'),
  ];
  const results = await runSequential(stages, { passOutput: true, stopOnFailure: true });
  for (const result of results) {
    console.log(`--- ${result.processId} (exit ${result.exitCode}, ${result.duration.toFixed(1)}s)`);
    console.log(result.output.trimEnd());
  }
  await session.writeSummary(results);
  await session.close();
  process.exitCode = results.length === stages.length && results.every((r) => r.exitCode === 0) ? 0 : 1;
}

void main();
