/**
 * `streamOutput`: output mirrored live to the host, one whole line at a time, each line prefixed
 * with `[processId] `.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { mirrorOutput, type MirrorTarget } from '../../src/operators/mirror-output';
import type { ProcessEvent, ProcessResult } from '../../src/process/types';
import { fixture, nodeFixture, resultOf } from '../helpers';

/** A target that records every write. */
function recorder(): MirrorTarget & { writes: { stdout: string[]; stderr: string[] } } {
  const writes = { stdout: [] as string[], stderr: [] as string[] };
  return {
    writes,
    stdout: { write: (text: string) => writes.stdout.push(text) },
    stderr: { write: (text: string) => writes.stderr.push(text) },
  };
}

const output = (stream: 'stdout' | 'stderr', chunk: string, processId = 'p'): ProcessEvent => ({
  type: 'output',
  processId,
  stream,
  chunk,
  at: 0,
});

describe('mirrorOutput', () => {
  it('writes only whole lines, prefixed, holding a partial line until its end arrives', async () => {
    const target = recorder();
    const events = [output('stdout', 'one\ntw'), output('stdout', 'o\nthr'), output('stderr', 'bad\n'), output('stdout', 'ee\n')];
    const passed = await lastValueFrom(from(events).pipe(mirrorOutput(target), toArray()));
    expect(passed).toEqual(events);
    expect(target.writes.stdout).toEqual(['[p] one\n', '[p] two\n', '[p] three\n']);
    expect(target.writes.stderr).toEqual(['[p] bad\n']);
  });

  it('writes the unfinished last lines when the result arrives', async () => {
    const target = recorder();
    const result: ProcessResult = {
      exitCode: 0, output: '', stderr: '', duration: 1, processId: 'p', timedOut: false, cancelled: false,
      signal: null, forced: false, pid: 1, startedAt: 0, reason: 'exit', error: null, truncated: null,
    };
    const events: ProcessEvent[] = [
      output('stdout', 'a\nno newline'),
      output('stderr', 'err tail'),
      { type: 'result', processId: 'p', result, at: 0 },
    ];
    await lastValueFrom(from(events).pipe(mirrorOutput(target), toArray()));
    expect(target.writes.stdout).toEqual(['[p] a\n', '[p] no newline\n']);
    expect(target.writes.stderr).toEqual(['[p] err tail\n']);
  });

  it('keeps the partial lines of merged processes apart', async () => {
    const target = recorder();
    const events = [
      output('stdout', 'a-one\na-t', 'a'),
      output('stdout', 'b-one\nb-t', 'b'),
      output('stdout', 'wo\n', 'a'),
      output('stdout', 'wo\n', 'b'),
    ];
    await lastValueFrom(from(events).pipe(mirrorOutput(target), toArray()));
    expect(target.writes.stdout).toEqual(['[a] a-one\n', '[b] b-one\n', '[a] a-two\n', '[b] b-two\n']);
  });

  it('keeps partial lines apart between subscriptions', async () => {
    const target = recorder();
    const source$ = from([output('stdout', 'half')]).pipe(mirrorOutput(target));
    await lastValueFrom(source$.pipe(toArray()));
    await lastValueFrom(source$.pipe(toArray()));
    expect(target.writes.stdout).toEqual([]);
  });

  it('mirrors a real process line by line', async () => {
    const target = recorder();
    const child = nodeFixture('print.js', ['--lines', '20000', '--out', 'tail', '--err', 'warned\n'], { processId: 'real' });
    const events = await lastValueFrom(child.events().pipe(mirrorOutput(target), toArray()));
    expect(resultOf(events).exitCode).toBe(0);
    const expected = Array.from({ length: 20000 }, (_, i) => `[real] line ${i + 1}\n`).join('') + '[real] tail\n';
    expect(target.writes.stdout.join('')).toBe(expected);
    expect(target.writes.stdout.every((text) => text.endsWith('\n'))).toBe(true);
    expect(target.writes.stderr).toEqual(['[real] warned\n']);
  });
});

describe('streamOutput: true in a host program', () => {
  const distIndex = join(__dirname, '..', '..', 'dist', 'index.js');

  it('mirrors both processes into the host stdout and stderr as whole prefixed lines', async () => {
    if (!existsSync(distIndex)) throw new Error(`${distIndex} is missing: run npm run build first`);
    const host = spawn(process.execPath, [fixture('stream-host.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    host.stdout.on('data', (data: Buffer) => stdout.push(data));
    host.stderr.on('data', (data: Buffer) => stderr.push(data));
    const code = await new Promise<number | null>((resolve) => host.once('close', resolve));
    const err = Buffer.concat(stderr).toString();
    expect({ code, err: err.split('\n').filter((line) => !/^\[(alpha|beta)\] /.test(line) && line) }).toEqual({
      code: 0,
      err: [],
    });

    const lines = Buffer.concat(stdout).toString().split('\n');
    expect(lines.pop()).toBe(''); // ends with a newline
    for (const id of ['alpha', 'beta']) {
      const own = lines.filter((line) => line.startsWith(`[${id}] `));
      const expected = [...Array.from({ length: 5000 }, (_, i) => `[${id}] line ${i + 1}`), `[${id}] ${id} last`];
      expect(own).toEqual(expected);
      expect(err.split('\n').filter((line) => line.startsWith(`[${id}] `))).toEqual([`[${id}] ${id} warning`]);
    }
    // Every line belongs to one of them: none was cut or interleaved.
    expect(lines.filter((line) => !/^\[(alpha|beta)\] /.test(line))).toEqual([]);
    expect(lines).toHaveLength(2 * 5001);
  });
});
