// Any program, not only Claude: a cold Observable per run, a timeout that stops the whole tree,
// and output passed down a sequence on stdin.
import { CommandProcess, runParallel, runSequential, inSubmissionOrder } from 'rx-orchestration';

async function main(): Promise<void> {
  const hello = await new CommandProcess({ command: 'echo', args: ['hello'] }).run();
  console.log('echo:', hello.exitCode, JSON.stringify(hello.output));

  const jobs = [3, 1, 2].map((s) => new CommandProcess({ command: 'sleep', args: [`0.${s}`], processId: `sleep-${s}` }));
  const results = await runParallel(jobs, { maxWorkers: 3 });
  console.log('completion order:', results.map((r) => r.processId).join(', '));
  console.log('submission order:', inSubmissionOrder(results, jobs).map((r) => r.processId).join(', '));

  const slow = await new CommandProcess({ command: 'sleep', args: ['30'], timeout: 0.5 }).run();
  console.log('timeout:', slow.exitCode, slow.timedOut, slow.error);

  const chain = await runSequential(
    [new CommandProcess({ command: 'echo', args: ['first'], processId: 'first' }), new CommandProcess({ command: 'cat', processId: 'second' })],
    { passOutput: true },
  );
  console.log('second received on stdin:\n' + chain[1].output);
  process.exitCode = hello.exitCode === 0 && slow.timedOut && chain.every((r) => r.exitCode === 0) ? 0 : 1;
}

void main();
