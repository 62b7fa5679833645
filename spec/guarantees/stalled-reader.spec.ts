/**
 * Guarantee: a reader that stops reading the CLI's stdout (`orchestrate parallel --exec yes >
 * fifo` with a reader that never reads) does not make the host's memory grow without bound. The
 * CLI writes its live output through an OutputGate shared with every process: when stdout is
 * full the gate closes, the children's pipes are no longer read, and the children block on their
 * full pipes (as with `cmd | less`). Before, the CLI kept reading and queued everything in
 * memory, about 28 MiB/s per `yes` here.
 *
 * The spec runs two `yes` commands with the CLI's stdout on a pipe nobody reads for 6 s, samples
 * the CLI's resident memory from /proc/<pid>/status every 100 ms, and requires the peak to stay
 * under 200 MiB. Then SIGTERM, and the reader resumes: the CLI must drain, write its summary and
 * exit 143. With RXO_LONG_TESTS=1 it also runs with --json and for 20 s.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirs, waitFor } from '../helpers';
import { CLI, logRoot, onlySessionDir, readSummary } from '../cli/helpers';

const LONG = process.env.RXO_LONG_TESTS === '1';
// `yes` writes hundreds of MiB a second: without backpressure the bound falls within the first second.
const STALL_MS = LONG ? 20_000 : 3_000;
const BOUND_MIB = 200;

const temp = tempDirs('rxo-guarantee-stalled-');
afterAll(() => temp.cleanup());

function rssMib(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const MODES = LONG ? [[], ['--json']] : [[]];

/**
 * Waits until the CLI working in `dir` has started `count` processes (its session's
 * processes.tsv), so the stall is measured from a running CLI, whose signal handlers are in
 * place, however slowly a loaded machine started it.
 */
async function waitForStarts(dir: string, count: number): Promise<void> {
  await waitFor(() => {
    try {
      const lines = readFileSync(join(onlySessionDir(logRoot(dir)), 'processes.tsv'), 'utf8').trim().split('\n');
      return lines.length - 1 >= count;
    } catch {
      return false;
    }
  }, `the CLI to start ${count} processes`, 30_000);
}

describe.each(MODES.map((flags) => ({ flags, mode: flags.length > 0 ? '--json' : 'human output' })))('a stalled stdout reader ($mode)', ({ flags }) => {
  it(`keeps the CLI under ${BOUND_MIB} MiB while nobody reads for ${STALL_MS / 1000} s; SIGTERM still ends it cleanly`, async () => {
    const dir = temp.make('yes');
    const cli = spawn(process.execPath, [CLI, 'parallel', ...flags, '--exec', 'yes', 'yes', '--working-dir', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = cli.pid as number;
    let stderr = '';
    cli.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => cli.once('close', (code, signal) => resolve({ code, signal })));
    try {
      // stdout is never read until the end: the pipe fills, and stays full.
      await waitForStarts(dir, 2);
      let peak = 0;
      const deadline = Date.now() + STALL_MS;
      await waitFor(() => {
        peak = Math.max(peak, rssMib(pid) ?? 0);
        return Date.now() >= deadline || peak >= BOUND_MIB;
      }, 'the stall to last', STALL_MS + 5_000);
      process.stdout.write(`stalled-reader: peak RSS ${peak.toFixed(0)} MiB over ${STALL_MS / 1000} s\n`);
      expect(peak).toBeLessThan(BOUND_MIB);

      cli.kill('SIGTERM');
      cli.stdout.resume(); // the reader comes back: everything queued drains
      const outcome = await closed;
      expect({ outcome, stderr }).toEqual({ outcome: { code: 143, signal: null }, stderr: expect.stringContaining('SIGTERM: stopping 2 running process(es)') });
      expect(readSummary(onlySessionDir(logRoot(dir))).counts).toMatchObject({ total: 2, cancelled: 2 });
    } finally {
      cli.kill('SIGKILL');
      cli.stdout.resume();
    }
  }, STALL_MS + 30_000);
});

/**
 * The pattern commands show their agents through the same gated output: a debate whose agents
 * stream text without end (a stand-in `claude` printing text deltas, as with
 * `--include-partial-messages`) and a reader that never reads stays under the bound too.
 */
describe('a stalled stdout reader of a pattern command', () => {
  it(`keeps \`orchestrate debate\` under ${BOUND_MIB} MiB while nobody reads for ${STALL_MS / 1000} s`, async () => {
    const dir = temp.make('debate');
    const agent = join(dir, 'claude');
    const delta = JSON.stringify({ type: 'stream_event', event: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'an endless argument\n' } } });
    writeFileSync(agent, `#!/bin/sh\nexec yes '${delta}'\n`, { mode: 0o755 });
    const cli = spawn(process.execPath, [CLI, 'debate', 'Which?', '--rounds', '1', '--command', agent, '--working-dir', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = cli.pid as number;
    const closed = new Promise<{ code: number | null }>((resolve) => cli.once('close', (code) => resolve({ code })));
    try {
      await waitForStarts(dir, 2);
      let peak = 0;
      const deadline = Date.now() + STALL_MS;
      await waitFor(() => {
        peak = Math.max(peak, rssMib(pid) ?? 0);
        return Date.now() >= deadline || peak >= BOUND_MIB;
      }, 'the stall to last', STALL_MS + 5_000);
      process.stdout.write(`stalled-reader (debate): peak RSS ${peak.toFixed(0)} MiB over ${STALL_MS / 1000} s\n`);
      expect(peak).toBeLessThan(BOUND_MIB);
      cli.kill('SIGTERM');
      cli.stdout.resume();
      expect(await closed).toEqual({ code: 143 });
    } finally {
      cli.kill('SIGKILL');
      cli.stdout.resume();
    }
  }, STALL_MS + 30_000);
});
