/**
 * Terminal mode (`terminal: true`), started both ways: by the fast spawner (a pty the addon opens,
 * the default) and by node-pty (RXO_SPAWNER=node, or without the addon). What the child sees, how
 * its output is normalised, and the acceptance proof that no tail of the output is lost when the
 * child exits at once (for node-pty only with RXO_LONG_TESTS=1: the plain run keeps to its budget).
 * The repetitions are 10 each in a plain run (plain node-pty loses the tail of `seq` in about half
 * the runs, so 10 runs miss that with odds of 1 in 1000) and full with RXO_LONG_TESTS=1 (200 runs
 * of 1 MB, 30 of `seq`), which also catches rarer losses.
 */
import { lastValueFrom, mergeMap, range, toArray } from 'rxjs';
import { CommandProcess } from '../../../src/runnable/command-process';
import { collect, LONG_TESTS, nodeFixture, pattern } from '../../helpers';

/** Runs of a child printing 1 MB, and of `seq 1 200000`. */
const BIG_RUNS = LONG_TESTS ? 200 : 10;
const SEQ_RUNS = LONG_TESTS ? 30 : 10;

describe.each([
  { spawner: 'fast', name: 'the fast spawner' },
  { spawner: 'node', name: 'node-pty' },
])('terminal mode, started by $name', ({ spawner }) => {
  const saved = process.env.RXO_SPAWNER;
  beforeAll(() => {
    process.env.RXO_SPAWNER = spawner;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.RXO_SPAWNER;
    else process.env.RXO_SPAWNER = saved;
  });
  // node-pty's path in a plain run: what the child sees and how output is read; the rest with LONG_TESTS.
  const heavy = spawner === 'fast' || LONG_TESTS ? it : it.skip;
  const every = heavy;

  it('makes the terminal the controlling terminal of a session of its own, with TERM, PWD and UTF-8 input', async () => {
    const cwd = process.cwd();
    const script = 'tty; ps -o tty= -p $$; ps -o sid= -p $$; ps -o pgid= -p $$; echo "$TERM|$PWD"; stty -a | grep -o iutf8';
    const result = await new CommandProcess({ command: 'sh', args: ['-c', script], terminal: true, cwd }).run();
    const [device, controlling, sid, pgid, env, utf8] = result.output.trim().split('\n').map((line) => line.trim());
    expect(device).toMatch(/^\/dev\/pts\/\d+$/);
    expect(controlling).toBe(device.slice('/dev/'.length));
    // The supervisor (lifeline or sh) leads the session and the group; the command is in both.
    expect(sid).toBe(pgid);
    expect(env).toBe(`xterm-256color|${cwd}`);
    expect(utf8).toBe('iutf8');
  });

  it('a carriage return at the end of one read and a newline in the next: the same text as in one read', async () => {
    const result = await new CommandProcess({ command: 'sh', args: ['-c', "printf 'a\\r'; sleep 0.2; printf '\\nb\\n'"], terminal: true }).run();
    // The child wrote a, CR, LF, b, LF: the terminal made each LF a CR LF, which is made LF again.
    expect(result.output).toBe('a\r\nb\n');
  });

  every('shows the child a TTY', async () => {
    const [tty, pipe] = await Promise.all([
      nodeFixture('print.js', ['--tty'], { terminal: true }).run(),
      nodeFixture('print.js', ['--tty'], { terminal: false }).run(),
    ]);
    expect(tty.output).toBe('isTTY=true\n');
    expect(pipe.output).toBe('isTTY=false\n');
  });

  every('gives the terminal the size asked for', async () => {
    const [standard, sized] = await Promise.all([
      new CommandProcess({ command: 'stty', args: ['size'], terminal: true }).run(),
      new CommandProcess({ command: 'stty', args: ['size'], terminal: { cols: 132, rows: 50 } }).run(),
    ]);
    expect(standard.output).toBe('24 80\n');
    expect(sized.output).toBe('50 132\n');
  });

  it('normalises \\r\\n to \\n and keeps a bare \\r', async () => {
    const result = await nodeFixture('print.js', ['--out', 'one\ntwo\n', '--out', 'progress\rdone\n'], {
      terminal: true,
    }).run();
    expect(result.output).toBe('one\ntwo\nprogress\rdone\n');
  });

  every('merges stdout and stderr into one stdout stream, in order', async () => {
    const child = nodeFixture('print.js', ['--out', 'a\n', '--err', 'b\n', '--out', 'c\n'], { terminal: true });
    const events = await collect(child.events());
    expect(events.some((event) => event.type === 'output' && event.stream === 'stderr')).toBe(false);
    const result = events[events.length - 1];
    expect(result).toMatchObject({ type: 'result', result: { output: 'a\nb\nc\n', stderr: '' } });
  });

  it('passes through output that imitates the end marker without the nonce', async () => {
    const fake = '\x1b]777;rxo-end;0123456789abcdef01234567;0\x07';
    const result = await nodeFixture('print.js', ['--out', `${fake}after\n`, '--code', '4'], { terminal: true }).run();
    expect(result.output).toBe(`${fake}after\n`);
    expect(result.exitCode).toBe(4);
  });

  every.each([0, 1, 42, 255])('reports exit code %i', async (code) => {
    const result = await nodeFixture('exit.js', [String(code)], { terminal: true }).run();
    expect(result.exitCode).toBe(code);
    expect(result.reason).toBe('exit');
    expect(result.error).toBe(code === 0 ? null : `exited with code ${code}`);
  });

  heavy(`keeps the whole output: ${BIG_RUNS} runs of a child printing 1 MB and exiting at once`, async () => {
    const size = 1024 * 1024;
    const expected = pattern(size);
    const child = nodeFixture('print.js', ['--bytes', String(size)], { terminal: true });
    const runs = await lastValueFrom(
      range(0, BIG_RUNS).pipe(
        mergeMap(async (index) => {
          const result = await child.run();
          return { index, exitCode: result.exitCode, length: result.output.length, whole: result.output === expected };
        }, 4),
        toArray(),
      ),
    );
    expect(runs).toHaveLength(BIG_RUNS);
    expect(runs.filter((run) => !run.whole || run.exitCode !== 0)).toEqual([]);
  }, 300_000);

  heavy(`keeps every line of \`seq 1 200000\` in ${SEQ_RUNS} runs; plain node-pty cuts it short in about half the runs`, async () => {
    // A native program that exits the moment its last write returns: the case PLATFORM.md measured
    // (scripts/pty-tail-check.js compares plain node-pty and terminal mode in one run).
    const expected = `${Array.from({ length: 200000 }, (_, i) => String(i + 1)).join('\n')}\n`;
    const seq = new CommandProcess({ command: 'seq', args: ['1', '200000'], terminal: true });
    const runs = await lastValueFrom(
      range(0, SEQ_RUNS).pipe(
        mergeMap(async () => {
          const result = await seq.run();
          return result.exitCode === 0 && result.output === expected;
        }, 2),
        toArray(),
      ),
    );
    expect(runs.filter((whole) => !whole)).toEqual([]);
  }, 300_000);
});
