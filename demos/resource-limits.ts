// Resource limits enforced by the kernel: a CPU-time limit, a memory limit and a niceness.
// A process over its limit ends with a result that says so (`limitExceeded`, `error`).
import { CommandProcess } from 'rx-orchestration';

const node = (processId: string, script: string, limits: ConstructorParameters<typeof CommandProcess>[0]['limits']): CommandProcess =>
  new CommandProcess({ command: process.execPath, args: ['-e', script], processId, limits, timeout: 60 });

async function main(): Promise<void> {
  const burner = await node('burner', 'for (;;) {}', { cpuSeconds: 1 }).run();
  console.log(`${burner.processId}: limitExceeded=${burner.limitExceeded} error=${burner.error}`);

  const hog = await node('hog', 'const held = []; for (;;) held.push(Buffer.alloc(1 << 20, 1))', { memoryMb: 128 }).run();
  console.log(`${hog.processId}: limitExceeded=${hog.limitExceeded} exit ${hog.exitCode}: ${hog.error?.split(' (')[0]}`);

  const polite = await node('polite', 'console.log(require("os").getPriority())', { nice: 10, memoryMb: 512, cpuSeconds: 10 }).run();
  console.log(`${polite.processId}: exit ${polite.exitCode}, niceness ${polite.output.trim()}`);

  process.exitCode = burner.limitExceeded === 'cpu' && hog.limitExceeded === 'memory' && polite.output.trim() === '10' ? 0 : 1;
}

void main();
