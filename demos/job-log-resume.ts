// Job log and resume: a session records its plan and one job-log line per finished process;
// a later session reruns only what failed or never ran.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrchestratorSession, runSequential } from 'rx-orchestration';
import { pendingFrom, readJobLog } from 'rx-orchestration/toolkit';

async function main(): Promise<void> {
  const workingDir = mkdtempSync(join(tmpdir(), 'rxo-demo-resume-'));
  const flag = join(workingDir, 'ready');
  const node = process.execPath;
  try {
    const first = new OrchestratorSession({ patternName: 'nightly', workingDir });
    const chain = [
      first.createCommand(node, ['-e', 'console.log("fetched")'], 'fetch'),
      // Fails until the flag file exists.
      first.createCommand(node, ['-e', `process.exit(require("fs").existsSync(${JSON.stringify(flag)}) ? 0 : 1)`], 'build'),
      first.createCommand(node, ['-e', 'console.log("published")'], 'publish'),
    ];
    first.plan(chain, { strategy: 'sequential', settings: { stopOnFailure: true } });
    await runSequential(chain, { stopOnFailure: true });
    await first.close();
    console.log('first session joblog.tsv:');
    process.stdout.write(readFileSync(join(first.sessionDir, 'joblog.tsv'), 'utf8'));

    writeFileSync(flag, '');
    const work = pendingFrom(first.sessionDir);
    console.log(`done: ${work.done.join(', ')}; pending: ${work.pending.map((p) => p.processId).join(', ')}`);
    const second = new OrchestratorSession({ patternName: 'nightly', workingDir });
    const results = await runSequential(work.pending.map((planned) => second.createPlanned(planned)), { stopOnFailure: true });
    await second.close();
    const jobs = readJobLog(second.sessionDir);
    console.log('second session job log:', jobs.map((j) => `${j.processId}=${j.exitCode}`).join(', '));
    process.exitCode = results.every((r) => r.exitCode === 0) && jobs.length === 2 && existsSync(flag) ? 0 : 1;
  } finally {
    rmSync(workingDir, { recursive: true, force: true });
  }
}

void main();
