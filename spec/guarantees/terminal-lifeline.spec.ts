/**
 * Guarantee: in terminal mode with the lifeline, the lifeline itself is the supervisor that proves
 * the output complete. No shell is started: the command's parent is the lifeline (the pid `start`
 * reports), with input too (the lifeline opens it as the command's stdin, byte-exact). The end
 * marker it writes tells a signal death (`s<signal>`) from an exit code, so `exit 130` on its own
 * is exitCode 130 with no signal, and a command killed by SIGINT reports signal SIGINT.
 *
 * Without the lifeline (RXO_LIFELINE=0) the shell supervisor still runs, as before; its status is
 * `$?`, where 130 reads as SIGINT (the documented limit). The lifeline's terminal options are
 * validated: a bad one is exit 2 with a message naming it.
 *
 * The lifeline (build/rxo-lifeline) must be built (`npm run build`); without it these fail.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { collect, fixture, nodeFixture } from '../helpers';
import { CommandProcess } from '../../src/runnable/command-process';
import { OutputGate } from '../../src/process/buffer/output-gate';
import type { ProcessEvent } from '../../src/process/types';

const LIFELINE = resolve(__dirname, '..', '..', 'build', 'rxo-lifeline');

interface Report {
  pid: number;
  ppid: number;
  parent: string;
  stdin?: string;
}

/** Runs `process` and returns its start pid, its result and the JSON line it printed. */
async function runReport(process: CommandProcess): Promise<{ startPid: number; report: Report; exitCode: number }> {
  const events: ProcessEvent[] = await collect(process.events());
  const start = events.find((event) => event.type === 'start');
  const end = events.find((event) => event.type === 'result');
  if (start?.type !== 'start' || end?.type !== 'result') throw new Error('no start or no result');
  return { startPid: start.pid, report: JSON.parse(end.result.output.trim()) as Report, exitCode: end.result.exitCode };
}

/** Sets RXO_LIFELINE for the duration of `body` (the library reads it at each spawn). */
async function withLifeline<T>(value: string | undefined, body: () => Promise<T>): Promise<T> {
  const before = process.env.RXO_LIFELINE;
  if (value === undefined) delete process.env.RXO_LIFELINE;
  else process.env.RXO_LIFELINE = value;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.RXO_LIFELINE;
    else process.env.RXO_LIFELINE = before;
  }
}

describe('terminal mode with the lifeline', () => {
  beforeAll(() => {
    if (!existsSync(LIFELINE)) throw new Error('build/rxo-lifeline is missing: run `npm run build` before this spec');
  });

  it('starts no shell: the command is the lifeline\'s own child, and `start.pid` is the lifeline', async () => {
    const { startPid, report, exitCode } = await withLifeline(undefined, () =>
      runReport(nodeFixture('parent-report.js', [], { terminal: true })),
    );
    expect(exitCode).toBe(0);
    expect(report.ppid).toBe(startPid);
    expect(report.parent).toBe('rxo-lifeline');
  });

  it('opens the input as the command\'s stdin itself, byte-exact, still with no shell', async () => {
    const input = Buffer.from('line one\r\nno end \x04\x03\x1b[2J\x00 \xf0\x9f\x98\x80 end', 'latin1');
    const { startPid, report, exitCode } = await withLifeline(undefined, () =>
      runReport(nodeFixture('parent-report.js', ['--stdin'], { terminal: true, input })),
    );
    expect(exitCode).toBe(0);
    expect(report.stdin).toBe(input.toString('hex'));
    expect(report.ppid).toBe(startPid);
    expect(report.parent).toBe('rxo-lifeline');
  });

  it.each([
    [130, 'SIGINT'],
    [143, 'SIGTERM'],
    [137, 'SIGKILL'],
  ] as const)('tells `exit %i` on its own from a death by %s', async (code, signal) => {
    const exited = await new CommandProcess({ command: 'sh', args: ['-c', `echo before; exit ${code}`], terminal: true }).run();
    expect(exited).toMatchObject({ output: 'before\n', exitCode: code, signal: null, reason: 'exit' });
    expect(exited.error).toBe(`exited with code ${code}`);

    const killed = await new CommandProcess({
      command: 'sh',
      args: ['-c', `echo before; kill -${signal.slice(3)} $$`],
      terminal: true,
    }).run();
    expect(killed).toMatchObject({ output: 'before\n', exitCode: code, signal, reason: 'signal' });
  });

  it('never blocks on a full terminal: paused by the output gate, the marker waits and a stop still ends the run at once', async () => {
    // The command fills the terminal and exits while the host reads nothing: the marker cannot be
    // written. A lifeline stuck in write(2) would miss the timeout's SIGTERM (`forced: true` after
    // killGrace); it must end on the signal instead, and a paused run must still end complete.
    const gate = new OutputGate();
    const holder = {};
    gate.hold(holder);
    const stopped = await new CommandProcess({
      command: process.execPath,
      args: [fixture('fill-terminal.js'), '7'],
      terminal: true,
      outputGate: gate,
      timeout: 1,
      killGraceMs: 20000,
    }).run();
    expect(stopped).toMatchObject({ timedOut: true, forced: false });
    expect(stopped.duration).toBeLessThan(10);

    const paused = new CommandProcess({ command: process.execPath, args: [fixture('fill-terminal.js'), '7'], terminal: true, outputGate: gate }).run();
    let settled = false;
    void paused.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 500)); // a chance to end too early, if it would
    expect(settled).toBe(false);
    gate.release(holder);
    const result = await paused;
    expect(result).toMatchObject({ exitCode: 7, signal: null });
    expect(result.output).toMatch(/^y{1024,}$/);
  }, 30_000);

  it('reports a node program that kills itself with SIGINT as killed by SIGINT', async () => {
    const result = await new CommandProcess({
      command: process.execPath,
      args: ['-e', 'process.stdout.write("bye\\n"); process.kill(process.pid, "SIGINT")'],
      terminal: true,
    }).run();
    expect(result).toMatchObject({ output: 'bye\n', signal: 'SIGINT', exitCode: 130, reason: 'signal' });
  });
});

describe('terminal mode without the lifeline (RXO_LIFELINE=0)', () => {
  it('runs the command under the shell supervisor, input and output as before', async () => {
    const input = 'one\ntwo';
    const { startPid, report, exitCode } = await withLifeline('0', () =>
      runReport(nodeFixture('parent-report.js', ['--stdin'], { terminal: true, input })),
    );
    expect(exitCode).toBe(0);
    expect(report.ppid).toBe(startPid);
    expect(report.parent).toBe('sh');
    expect(report.stdin).toBe(Buffer.from(input).toString('hex'));
  });

  it('keeps the shell\'s limit: `exit 130` reads as SIGINT', async () => {
    const result = await withLifeline('0', () =>
      new CommandProcess({ command: 'sh', args: ['-c', 'exit 130'], terminal: true }).run(),
    );
    expect(result).toMatchObject({ exitCode: 130, signal: 'SIGINT' });
  });
});

describe('the lifeline\'s terminal options', () => {
  const run = (args: string[]): { status: number | null; stderr: string } => {
    const child = spawnSync(LIFELINE, args, { encoding: 'utf8' });
    return { status: child.status, stderr: child.stderr };
  };

  it.each([
    [['--marker', 'a;b'], '--marker nonce must be 1 to 64 letters or digits, received "a;b"'],
    [['--marker', 'x'.repeat(65)], '--marker nonce must be 1 to 64 letters or digits'],
    [['--marker'], '--marker needs a value'],
    [['--marker', 'ab', '--marker', 'cd'], '--marker given twice'],
    [['--stdin', ''], '--stdin path must not be empty'],
    [['--color', 'x'], 'unknown option "--color"'],
  ])('refuses %j with exit 2 and a clear message', (options, message) => {
    const result = run([String(process.pid), '100', '0', ...options, '--', '/bin/true']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`rxo-lifeline: ${message}`);
  });

  it('refuses a missing command after --', () => {
    const result = run([String(process.pid), '100', '0', '--marker', 'ab', '--']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('missing command after --');
  });
});
