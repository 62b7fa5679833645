// Retry with exponential backoff on a flaky real process: it fails twice, then succeeds. Every
// attempt's output is seen live; the one result records all attempts. Then the same settings on
// any Runnable with withRetry, and a run whose retries run out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { CommandProcess, toResults, withRetry, type ProcessResult } from 'rx-orchestration';
import { attemptsOf } from 'rx-orchestration/toolkit';

/** A node program that fails until it has run `succeedAt` times (it counts its runs in `file`). */
function flaky(file: string, succeedAt: number, processId: string): CommandProcess {
  const script = `
    const fs = require('fs');
    const n = (fs.existsSync(process.argv[1]) ? Number(fs.readFileSync(process.argv[1], 'utf8')) : 0) + 1;
    fs.writeFileSync(process.argv[1], String(n));
    if (n < Number(process.argv[2])) { console.error('service unavailable (try ' + n + ')'); process.exit(75); }
    console.log('connected on try ' + n);`;
  return new CommandProcess({ command: process.execPath, args: ['-e', script, file, String(succeedAt)], processId });
}

function describe(result: ProcessResult): string {
  const tries = (attemptsOf(result) ?? []).map((a) => `#${a.attempt} exit ${a.exitCode} after ${a.delayBeforeMs} ms wait`).join(', ');
  return `exit ${result.exitCode}; attempts: ${tries}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rxo-retry-demo-'));
  try {
    // 1. The `retry` option of a process: 0.2 s, then 0.4 s between attempts.
    const base = flaky(join(dir, 'a'), 3, 'flaky');
    const proc = new CommandProcess({ ...base.options, retry: { count: 4, delayMs: 200, backoff: 'exponential' } });
    const result = await lastValueFrom(proc.events().pipe(toResults()));
    console.log(`retry option: ${describe(result)}`);

    // 2. Watching live: start events carry their attempt number.
    const watched = new CommandProcess({ ...flaky(join(dir, 'b'), 2, 'watched').options, retry: { count: 2, delayMs: 100 } });
    await new Promise<void>((resolve) =>
      watched.events().subscribe({
        next(event) {
          if (event.type === 'start') console.log(`[watched] attempt ${event.attempt} started`);
          if (event.type === 'output') process.stdout.write(`[watched] ${event.stream}: ${event.chunk}`);
          if (event.type === 'result') console.log(`[watched] result: ${describe(event.result)}`);
        },
        complete: resolve,
      }),
    );

    // 3. withRetry: the same for any Runnable. The retries run out: the last failure is the result.
    const hopeless = withRetry(flaky(join(dir, 'c'), 99, 'hopeless'), { count: 2, delayMs: 100, backoff: 'exponential', maxDelayMs: 150 });
    const last = await lastValueFrom(hopeless.events().pipe(toResults()));
    console.log(`withRetry, retries exhausted: ${describe(last)}; error: ${last.error}`);

    const ok = result.exitCode === 0 && attemptsOf(result)?.length === 3 && last.exitCode === 75 && attemptsOf(last)?.length === 3;
    process.exitCode = ok ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
