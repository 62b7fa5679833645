// Expert panel: three experts review in parallel with role prompts and one findings schema; an
// aggregator returns the consensus and each expert's vote, keyed by process id.
import { lastValueFrom } from 'rxjs';
import { panel } from 'rx-orchestration';
import { claudeCommand } from './agent-command';

async function main(): Promise<void> {
  const last = await lastValueFrom(
    panel('Is the retry module ready to release?', {
      experts: ['security', 'performance', 'maintainability'],
      roles: { maintainability: 'you judge whether a new contributor could change it safely.' },
      agent: { command: claudeCommand },
    }),
  );
  if (last.type !== 'verdict') throw new Error('no verdict');
  const { verdict } = last;
  for (const [id, findings] of Object.entries(verdict.findings)) console.log(`${id}: ${findings.findings.length} finding(s); recommends ${findings.recommendation}`);
  console.log(verdict.decided ? `Consensus: ${verdict.consensus}` : `No consensus: ${verdict.reason}`);
  for (const [id, vote] of Object.entries(verdict.votes)) console.log(`  ${id} ${vote.agrees ? 'agrees' : 'disagrees'}`);
  process.exitCode = verdict.decided ? 0 : 1;
}

void main();
