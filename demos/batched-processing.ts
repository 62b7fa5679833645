// Batched execution: four modules, two at a time; the second batch sees the first batch's outputs.
import { OrchestratorSession, runBatched } from 'rx-orchestration';
import { claudeCommand } from './agent-command';

async function main(): Promise<void> {
  const session = new OrchestratorSession({ patternName: 'batched', command: claudeCommand });
  const modules = ['auth', 'billing', 'search', 'ui'].map((name) => session.createProcess(`Document the ${name} module`, name));
  const results = await runBatched(modules, { batchSize: 2, passOutput: true });
  for (const result of results) {
    const acknowledged = result.output.split('\n').find((line) => line.startsWith('Received')) ?? '(first batch)';
    console.log(`${result.processId}: exit ${result.exitCode}; ${acknowledged}`);
  }
  await session.writeSummary(results);
  await session.close();
  process.exitCode = results.every((r) => r.exitCode === 0) ? 0 : 1;
}

void main();
