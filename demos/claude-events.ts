// Claude events and totals: one run's stream-json parsed live (init, text as it arrives, result),
// then three runs in parallel with their summed cost and tokens, and a run the API refuses.
import { ClaudeProcess, claudeRunOf, claudeTotals, inSubmissionOrder, isClaudeEvent, runParallel } from 'rx-orchestration';
import { describeClaudeEvent } from 'rx-orchestration/toolkit';
import { claudeCommand } from './agent-command';

async function main(): Promise<void> {
  const review = new ClaudeProcess({ prompt: 'Review the retry logic', processId: 'review', command: claudeCommand });
  await new Promise<void>((resolve) => {
    review.events().subscribe({
      next(event) {
        if (event.type === 'output') process.stdout.write(`[review] text | ${event.chunk}`);
        else if (isClaudeEvent(event)) {
          const line = describeClaudeEvent(event.event);
          if (line) console.log(`[review] ${event.event.kind} | ${line}`);
        } else if (event.type === 'result') {
          const claude = claudeRunOf(event.result);
          console.log(`[review] exit ${event.result.exitCode}, ${claude?.numTurns} turn, $${claude?.costUsd}, model ${claude?.model}`);
        }
      },
      complete: resolve,
    });
  });

  const areas = ['security', 'performance', 'maintainability'];
  const runs = areas.map((area) => new ClaudeProcess({ prompt: `Analyze ${area}`, processId: area, command: claudeCommand, startDelayMs: 100 }));
  const results = await runParallel(runs, { maxWorkers: 3 });
  for (const result of inSubmissionOrder(results, runs)) {
    const claude = claudeRunOf(result);
    const usage = claude?.usage;
    console.log(`${result.processId}: $${claude?.costUsd} (${usage?.inputTokens} in / ${usage?.outputTokens} out)`);
  }
  const totals = claudeTotals(results);
  console.log(`totals: ${totals?.runs} runs, $${totals?.costUsd.toFixed(6)}, ${totals?.numTurns} turns, ${totals?.usage.inputTokens} in / ${totals?.usage.outputTokens} out`);

  // The simulated agent answers this model with an "overloaded" API error: the result event says is_error.
  const refused = await new ClaudeProcess({ prompt: 'Anything', model: 'sim-unavailable', command: claudeCommand }).run();
  console.log(`refused: exit ${refused.exitCode}: ${refused.error}`);
  process.exitCode = results.every((r) => r.exitCode === 0) && refused.exitCode === 1 ? 0 : 1;
}

void main();
