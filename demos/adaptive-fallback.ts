// Adaptive fallback: the advanced strategy's model is unavailable, so the standard one answers
// and the basic one is never started.
import { OrchestratorSession, runWithFallback } from 'rx-orchestration';
import { claudeCommand } from './agent-command';

async function main(): Promise<void> {
  const session = new OrchestratorSession({ patternName: 'adaptive', command: claudeCommand });
  const strategies = [
    session.createProcess('Advanced analysis', 'advanced', { timeout: 300, model: 'sim-unavailable-opus' }),
    session.createProcess('Standard analysis', 'standard', { timeout: 300 }),
    session.createProcess('Basic analysis', 'basic', { timeout: 300 }),
  ];
  const result = await runWithFallback(strategies, { timeout: 300 });
  if (result.exitCode === 0) console.log(`Succeeded with: ${result.processId}`);
  else console.log(`Every strategy failed: ${result.error}`);
  console.log(`attempts made: ${session.results().map((r) => `${r.processId}=${r.exitCode}`).join(', ')}`);
  await session.writeSummary();
  await session.close();
  process.exitCode = result.processId === 'standard' && result.exitCode === 0 ? 0 : 1;
}

void main();
