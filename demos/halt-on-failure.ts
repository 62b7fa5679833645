// Halt policies (GNU parallel's --halt): six jobs, two at a time; the first fails at once.
// `now` stops the running job and starts nothing more; `soon` lets it finish. Every job still
// gets exactly one result: those never started say so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandProcess, runBatched, runParallel, type HaltPolicy, type ProcessResult } from 'rx-orchestration';
import { parseHalt, wasHalted } from 'rx-orchestration/toolkit';

/** lint fails at once; build runs until 1.5 s after lint has failed (so it is always still running then). */
function jobs(dir: string): CommandProcess[] {
  const node = (processId: string, code: string): CommandProcess =>
    new CommandProcess({ command: process.execPath, args: ['-e', code], processId });
  const lintDone = JSON.stringify(join(dir, 'lint-failed'));
  return [
    node('lint', `require('fs').writeFileSync(${lintDone}, ''); console.error('3 problems'); process.exit(1)`),
    node('build', `const t = setInterval(() => { if (require('fs').existsSync(${lintDone})) { clearInterval(t); setTimeout(() => console.log('built'), 1500); } }, 20)`),
    ...['test-a', 'test-b', 'test-c', 'test-d'].map((id) => node(id, 'console.log("ran")')),
  ];
}

function show(title: string, results: readonly ProcessResult[]): void {
  console.log(`\n${title}`);
  for (const r of results) console.log(`  ${r.processId.padEnd(7)} ${r.reason.padEnd(11)} exit ${String(r.exitCode).padStart(3)}  ${r.error ?? 'ok'}`);
}

async function main(): Promise<void> {
  const dirs: string[] = [];
  const fresh = (): CommandProcess[] => {
    dirs.push(mkdtempSync(join(tmpdir(), 'rxo-halt-demo-')));
    return jobs(dirs[dirs.length - 1]);
  };
  try {
    const now: HaltPolicy = { when: 'now', fail: 1 };
    const stopped = await runParallel(fresh(), { maxWorkers: 2, halt: now });
    show('parallel, halt now,fail=1 (the build is stopped):', stopped);

    const soon = await runParallel(fresh(), { maxWorkers: 2, halt: parseHalt('soon,fail=1') });
    show('parallel, halt soon,fail=1 (the build finishes):', soon);

    const batches = await runBatched(fresh(), { batchSize: 2, halt: parseHalt('now,fail=1') });
    show('batched (batchSize 2), halt now,fail=1 (no later batch starts):', batches);

    const notStarted = (results: readonly ProcessResult[]) => results.filter((r) => r.reason === 'not-started').length;
    const build = (results: readonly ProcessResult[]) => results.find((r) => r.processId === 'build');
    const halted = (result: ProcessResult | undefined) => result !== undefined && wasHalted(result);
    const ok =
      stopped.length === 6 && notStarted(stopped) === 4 && halted(build(stopped)) &&
      soon.length === 6 && notStarted(soon) === 4 && build(soon)?.exitCode === 0 &&
      batches.length === 6 && notStarted(batches) === 4;
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

void main();
