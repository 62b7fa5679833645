// Output filtering: whole lines from real processes (partial lines, progress bars and colours
// handled), only the lines that matter live, the last lines of each at its end, results complete.
import { from, share, toArray } from 'rxjs';
import { CommandProcess, parallel, toResults } from 'rx-orchestration';
import { grep, mirrorOutput, stripAnsi, tail } from 'rx-orchestration/toolkit';

// Every mirrored line on stdout, so the demo's output keeps one order.
const toStdout = { stdout: process.stdout, stderr: process.stdout };

// A chatty build: a coloured warning, a progress bar redrawn with \r, a line written in two pieces.
const script = (name: string, code: number): string => `
  const w = (text) => process.stdout.write(text);
  w('${name}: resolving\\n');
  w('\\x1b[33m${name}: warning: deprecated option\\x1b[0m\\n');
  for (let p = 0; p <= 100; p += 25) w('\\r${name}: download ' + p + '%');
  w('\\n${name}: comp'); setTimeout(() => { w('iling\\n'); if (${code}) w('${name}: error: tests failed\\n'); w('${name}: finished'); process.exit(${code}); }, 100);`;
const jobs = () => [
  new CommandProcess({ command: process.execPath, args: ['-e', script('api', 0)], processId: 'api' }),
  new CommandProcess({ command: process.execPath, args: ['-e', script('web', 1)], processId: 'web' }),
];

async function main(): Promise<void> {
  console.log('== warnings and errors only, colours removed (stripAnsi, grep):');
  const events$ = from(jobs()).pipe(parallel({ maxWorkers: 2 }), stripAnsi(), grep(/warning|error/), mirrorOutput(toStdout), share());
  const results = await new Promise<readonly { processId: string; exitCode: number; output: string }[]>((resolve) =>
    events$.pipe(toResults(), toArray()).subscribe(resolve),
  );
  for (const r of results) console.log(`${r.processId}: exit ${r.exitCode}, full output kept in the result: ${r.output.split('\n').length} lines`);

  console.log('\n== the last two lines of each, at its end (tail), one at a time:');
  await new Promise<void>((resolve) =>
    from(jobs()).pipe(parallel({ maxWorkers: 1 }), stripAnsi(), tail(2), mirrorOutput(toStdout)).subscribe({ complete: resolve }),
  );
  process.exitCode = results.length === 2 ? 0 : 1;
}

void main();
