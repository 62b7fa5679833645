/**
 * The process Observable against real fixture programs, in pipe and terminal mode: event order,
 * result fields, coldness, UTF-8 decoding, stdin and spawn problems.
 */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lifelinePath } from '../../src/process/spawn/lifeline';
import { spawnEvents, type SpawnRequest } from '../../src/process/spawn-events';
import type { OutputEvent, ProcessEvent, StartEvent } from '../../src/process/types';
import {
  childPids,
  collect,
  fixture,
  makeTempDir,
  MODES,
  newChildren,
  nodeFixture,
  removeDir,
  resultOf,
  sha256,
  SPLIT_TEXT,
  startRun,
} from '../helpers';

const outputs = (events: readonly ProcessEvent[], stream: 'stdout' | 'stderr' = 'stdout'): string =>
  events
    .filter((event): event is OutputEvent => event.type === 'output' && event.stream === stream)
    .map((event) => event.chunk)
    .join('');

describe.each(MODES)('spawnEvents in $mode', ({ terminal }) => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => removeDir(dir));

  describe('event order and result', () => {
    it('emits one start, the output, then exactly one result last', async () => {
      const args = [fixture('print.js'), '--out', 'hello\n', '--err', 'oops\n'];
      const before = Date.now();
      const events = await collect(nodeFixture('print.js', args.slice(1), { terminal, processId: 'p1' }).events());
      const after = Date.now();

      expect(events[0]).toEqual<StartEvent>({
        type: 'start',
        processId: 'p1',
        pid: expect.any(Number),
        command: process.execPath,
        args,
        at: expect.any(Number),
        seq: 0,
      });
      expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
      expect(events.filter((event) => event.type === 'result')).toHaveLength(1);
      expect(events.slice(1, -1).every((event) => event.type === 'output')).toBe(true);

      const start = events[0] as StartEvent;
      const result = resultOf(events);
      expect(result).toEqual({
        exitCode: 0,
        output: terminal ? 'hello\noops\n' : 'hello\n',
        stderr: terminal ? '' : 'oops\n',
        duration: expect.any(Number),
        processId: 'p1',
        timedOut: false,
        cancelled: false,
        signal: null,
        forced: false,
        pid: start.pid,
        startedAt: start.at,
        reason: 'exit',
        error: null,
        truncated: null,
      });
      expect(result.duration).toBeGreaterThan(0);
      expect(result.startedAt).toBeGreaterThanOrEqual(before);
      expect(result.startedAt).toBeLessThanOrEqual(after);
      // The result's output is exactly the output events joined.
      expect(outputs(events)).toBe(result.output);
      expect(outputs(events, 'stderr')).toBe(result.stderr);
    });

    it('reports a non-zero exit code with a message naming it', async () => {
      const result = await nodeFixture('exit.js', ['3'], { terminal }).run();
      expect(result).toMatchObject({ exitCode: 3, reason: 'exit', signal: null, error: 'exited with code 3' });
    });

    it('reports a child killed by a signal as reason signal, exit code 128 + n', async () => {
      const run = startRun(nodeFixture('print-then-hang.js', [], { terminal }).events());
      await run.waitForOutput('before hang');
      const pid = Number(/pid=(\d+)/.exec(run.output())![1]);
      process.kill(pid, 'SIGKILL');
      const result = await run.result;
      expect(result).toMatchObject({
        exitCode: 137,
        signal: 'SIGKILL',
        reason: 'signal',
        timedOut: false,
        cancelled: false,
        // In pipe mode the error quotes the last line the child wrote to stderr.
        error: terminal ? 'killed by signal SIGKILL' : 'killed by signal SIGKILL: warn',
      });
    });

    it('quotes the last line of stderr in the error of a failed process', async () => {
      const result = await nodeFixture('print.js', ['--err', 'first\nlast words\n\n', '--code', '2'], { terminal }).run();
      expect(result.exitCode).toBe(2);
      expect(result.error).toBe(terminal ? 'exited with code 2' : 'exited with code 2: last words');
    });
  });

  describe('a process is cold', () => {
    it('spawns nothing before subscribe', () => {
      const before = childPids();
      const events$ = nodeFixture('print.js', ['--pid'], { terminal }).events();
      expect(events$).toBeDefined();
      expect(newChildren(before)).toEqual([]);
    });

    it('spawns one new process per subscription', async () => {
      const events$ = nodeFixture('print.js', ['--pid'], { terminal }).events();
      const [first, second] = await Promise.all([collect(events$), collect(events$)]);
      const pids = [first, second].map((events) => (events[0] as StartEvent).pid);
      expect(pids[0]).not.toBe(pids[1]);
      const printed = [first, second].map((events) => Number(resultOf(events).output.trim()));
      expect(printed[0]).not.toBe(printed[1]);
      // In pipe mode without the lifeline the child itself leads the group; with the lifeline, or in
      // terminal mode, a supervisor does.
      if (!terminal && !lifelinePath()) expect(printed).toEqual(pids);
    });
  });

  describe('decoding', () => {
    it('decodes multi-byte UTF-8 characters split across reads', async () => {
      const events = await collect(nodeFixture('split-utf8.js', ['stdout'], { terminal }).events());
      expect(outputs(events)).toBe(SPLIT_TEXT);
      expect(resultOf(events).output).toBe(SPLIT_TEXT);
      for (const event of events) {
        if (event.type === 'output') expect(event.chunk).not.toContain('\uFFFD');
      }
    });

    if (!terminal) {
      it('decodes split UTF-8 on stderr too', async () => {
        const events = await collect(nodeFixture('split-utf8.js', ['stderr'], { terminal }).events());
        expect(outputs(events, 'stderr')).toBe(SPLIT_TEXT);
        expect(resultOf(events).stderr).toBe(SPLIT_TEXT);
      });
    }

    it('survives invalid UTF-8, replacing it with U+FFFD', async () => {
      const result = await nodeFixture('split-utf8.js', ['stdout', 'invalid'], { terminal }).run();
      expect(result.exitCode).toBe(0);
      expect(result.output).toMatch(/^a\uFFFD+b\n\uFFFD+$/);
    });
  });

  describe('stdin', () => {
    const EMPTY = `0 ${sha256('')}\n`;

    it('gives the child end of input at once by default', async () => {
      const result = await nodeFixture('stdin-report.js', [], { terminal, timeout: 20 }).run();
      expect(result).toMatchObject({ exitCode: 0, timedOut: false, output: EMPTY });
    });

    it.each([
      ['a string', 'héllo\nwörld\n'],
      ['a Buffer of every byte value', Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256))],
      ['3 MB', Buffer.alloc(3 * 1024 * 1024, 'abc\x00\xff\n')],
    ])('delivers %s as input byte-exact', async (_name, input) => {
      const result = await nodeFixture('stdin-report.js', [], { terminal, input }).run();
      expect(result.exitCode).toBe(0);
      expect(result.output).toBe(`${Buffer.byteLength(input)} ${sha256(input)}\n`);
    });
  });

  describe('spawn problems never throw', () => {
    it('rejects an empty command with a TypeError at construction', () => {
      expect(() => nodeFixture('print.js', [], { terminal, command: '' })).toThrow(
        new TypeError('command must be a non-empty string, received "" (string)'),
      );
    });

    it('gives exit code 127 and a clear error for a missing binary', async () => {
      const events = await collect(
        nodeFixture('print.js', [], { terminal, command: 'rxo-no-such-binary-here' }).events(),
      );
      expect(events).toHaveLength(1);
      expect(resultOf(events)).toMatchObject({
        exitCode: 127,
        reason: 'spawn-error',
        pid: null,
        cancelled: false,
        error: expect.stringContaining('command not found: rxo-no-such-binary-here'),
      });
    });

    it('gives exit code 126 for a file that is not executable', async () => {
      const script = join(dir, 'not-executable.sh');
      writeFileSync(script, '#!/bin/sh\necho hi\n');
      chmodSync(script, 0o644);
      const result = await nodeFixture('print.js', [], { terminal, command: script, args: [] }).run();
      expect(result).toMatchObject({ exitCode: 126, reason: 'spawn-error', pid: null });
      expect(result.error).toContain('not executable');
      expect(result.error).toContain(script);
    });

    it('fails with an error naming a working directory that does not exist', async () => {
      const missing = join(dir, 'no', 'such', 'dir');
      const result = await nodeFixture('print.js', ['--out', 'x'], { terminal, cwd: missing }).run();
      expect(result.exitCode).not.toBe(0);
      expect(result.reason).toBe('spawn-error');
      expect(result.error).toContain(missing);
    });

    it('runs nothing when the command cannot be started', async () => {
      const marker = join(dir, `never-${terminal}`);
      const before = childPids();
      await nodeFixture('print.js', [], { terminal, command: 'touch', args: [marker], cwd: join(dir, 'gone') }).run();
      expect(existsSync(marker)).toBe(false);
      expect(newChildren(before)).toEqual([]);
    });
  });
});

describe('spawnEvents called directly', () => {
  it('runs a request with every field given', async () => {
    const request: SpawnRequest = {
      processId: 'direct',
      command: process.execPath,
      args: [fixture('print.js'), '--out', 'direct\n'],
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '' },
      terminal: false,
      cols: 80,
      rows: 24,
      killGraceMs: 500,
      exitGraceMs: 500,
      killLeftovers: true,
      maxBuffer: 1024,
    };
    const result = resultOf(await collect(spawnEvents(request)));
    expect(result).toMatchObject({ processId: 'direct', exitCode: 0, output: 'direct\n' });
  });
});
