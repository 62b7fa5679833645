// Cascade: the cheapest model first; a level passes when its structured self-assessment reaches
// the threshold, otherwise the next model tries. The verdict says which level answered and why
// earlier ones did not. On the simulated agent unless CLAUDE_COMMAND is set.
import { lastValueFrom } from 'rxjs';
import { cascade } from 'rx-orchestration';
import { claudeCommand } from './agent-command';

async function main(): Promise<void> {
  const simulated = claudeCommand !== 'claude';
  const models = simulated ? ['sim-haiku', 'sim-sonnet', 'sim-opus'] : ['haiku', 'sonnet', 'opus'];
  const last = await lastValueFrom(cascade('Summarise what a retry policy with exponential backoff does', { models, threshold: 0.5, agent: { command: claudeCommand } }));
  if (last.type !== 'verdict') throw new Error('no verdict');
  for (const level of last.verdict.levels) console.log(`level ${level.level} (${level.model}): ${level.outcome}${level.reason ? `: ${level.reason}` : ''}`);
  console.log(last.verdict.decided ? `Answered by level ${last.verdict.level}: ${last.verdict.answer}` : `No answer: ${last.verdict.reason}`);
}

void main();
