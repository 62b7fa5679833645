// Live text token by token: with --include-partial-messages (the default in stream-json) each
// text delta of the answer is an output event the moment it arrives; the result holds it once.
import { ClaudeProcess } from 'rx-orchestration';
import { claudeCommand } from './agent-command';

async function main(): Promise<void> {
  let chunks = 0;
  let streamed = '';
  const agent = new ClaudeProcess({ prompt: 'Explain the retry operator', processId: 'explain', command: claudeCommand });
  agent.events().subscribe((event) => {
    if (event.type !== 'output') return;
    chunks += 1;
    streamed += event.chunk;
    process.stdout.write(event.chunk);
  });
  const result = await agent.run();
  console.log(`${chunks} live chunks; the result's output ${result.output === streamed ? 'equals' : 'differs from'} the streamed text`);
}

void main();
