// Debate: two positions argue for two rounds, each seeing the other's previous argument by id;
// a moderator (structured output) decides. On the simulated agent unless CLAUDE_COMMAND is set.
import { debate, type DebateVerdict, type VerdictEvent } from 'rx-orchestration';
import { claudeCommand } from './agent-command';

async function main(): Promise<void> {
  let last: VerdictEvent<DebateVerdict> | undefined;
  debate('Should the team adopt a monorepo?', { positions: ['for', 'against'], rounds: 2, agent: { command: claudeCommand } }).subscribe({
    next(event) {
      if (event.type === 'phase-start') console.log(`== ${event.phase.name}: ${event.phase.processIds.join(', ')}`);
      else if (event.type === 'result') console.log(`   ${event.processId}: ${event.result.exitCode === 0 ? 'argued' : `failed (${event.result.error})`}`);
      else if (event.type === 'verdict') last = event;
    },
    complete() {
      if (!last) throw new Error('no verdict');
      const { verdict } = last;
      console.log(verdict.decided ? `Decision: ${verdict.decision} (confidence ${verdict.confidence})` : `No decision: ${verdict.reason}`);
      for (const key of verdict.keyArguments) console.log(`  key argument from ${key.processId} (${key.position}): ${key.point}`);
      process.exitCode = verdict.decided ? 0 : 1;
    },
  });
}

void main();
