/**
 * Resource limits, enforced by the kernel on real processes: a CPU burner is ended by its CPU
 * limit, an allocator by its memory limit, each with a result that says so; the limits and the
 * niceness really apply; a missing `prlimit` is a clear failure, never an unlimited run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandProcess } from '../../../src/runnable/command-process';
import { ClaudeProcess } from '../../../src/runnable/claude-process';
import { MODES, fixture, makeTempDir, nodeFixture, removeDir } from '../../helpers';

interface Reported {
  nice: number;
  data: { soft: string; hard: string };
  cpu: { soft: string; hard: string };
}

function reported(output: string): Reported {
  return JSON.parse(output.trim().split('\n').pop() ?? '') as Reported;
}

describe.each(MODES)('resource limits ($mode)', ({ terminal }) => {
  it('a process over its CPU limit is killed by SIGXCPU and its result says so', async () => {
    // The timeout only guards the test; the CPU limit must end the run long before it.
    const result = await nodeFixture('burn-cpu.js', [], { terminal, limits: { cpuSeconds: 1 }, timeout: 120 }).run();
    expect(result).toMatchObject({ limitExceeded: 'cpu', signal: 'SIGXCPU', exitCode: 152, timedOut: false, reason: 'signal' });
    expect(result.error).toBe('exceeded its CPU time limit of 1 s (killed by signal SIGXCPU)');
  }, 150_000);

  it('a process over its memory limit fails to allocate and its result says so', async () => {
    const result = await nodeFixture('allocate.js', [], { terminal, limits: { memoryMb: 160 }, timeout: 120 }).run();
    expect(result.limitExceeded).toBe('memory');
    expect(result.exitCode).not.toBe(0);
    expect(result.error).toMatch(/^exceeded its memory limit of 160 MiB \((exited with code|killed by signal)/);
    // It did allocate up to near the limit before failing (the runtime itself takes some of it).
    expect(result.output).toContain('64 MiB');
    expect(result.output).not.toContain('176 MiB');
  }, 150_000);

  it('the limits and the niceness are what the kernel applies to the command itself', async () => {
    const result = await nodeFixture('report-limits.js', [], { terminal, limits: { memoryMb: 512, cpuSeconds: 30, nice: 7 } }).run();
    expect(result).toMatchObject({ exitCode: 0, error: null });
    expect(result.limitExceeded).toBeUndefined();
    expect(reported(result.output)).toEqual({
      nice: 7,
      data: { soft: String(512 * 1024 * 1024), hard: String(512 * 1024 * 1024) },
      cpu: { soft: '30', hard: '31' },
    });
  }, 60_000);
});

describe('resource limits', () => {
  it('without limits the command runs unwrapped (no limits, the host niceness)', async () => {
    const result = await nodeFixture('report-limits.js').run();
    const limits = reported(result.output);
    expect(limits.cpu.soft).toBe('unlimited');
    expect(result.limitExceeded).toBeUndefined();
  });

  it('a process that ignores SIGXCPU is killed at the hard limit (N + 1 s) and it still counts as the CPU limit', async () => {
    const result = await nodeFixture('burn-cpu.js', ['--ignore-xcpu'], { limits: { cpuSeconds: 1 }, timeout: 120 }).run();
    expect(result).toMatchObject({ limitExceeded: 'cpu', signal: 'SIGKILL', forced: false, timedOut: false });
    expect(result.error).toBe('exceeded its CPU time limit of 1 s (killed by signal SIGKILL)');
  }, 150_000);

  it('a stop by the orchestrator (timeout) is not blamed on the CPU limit', async () => {
    const result = await nodeFixture('burn-cpu.js', [], { limits: { cpuSeconds: 600 }, timeout: 0.5 }).run();
    expect(result).toMatchObject({ timedOut: true, exitCode: -1 });
    expect(result.limitExceeded).toBeUndefined();
    expect(result.error).toMatch(/^timed out after 0.5 s/);
  }, 60_000);

  it('an out-of-memory message is not blamed on a limit when no memory limit was set, nor on a success', async () => {
    const script = 'console.error("fatal: out of memory"); process.exit(Number(process.argv[1]))';
    const unlimited = await new CommandProcess({ command: process.execPath, args: ['-e', script, '3'], limits: { cpuSeconds: 60 } }).run();
    expect(unlimited).toMatchObject({ exitCode: 3, error: 'exited with code 3: fatal: out of memory' });
    expect(unlimited.limitExceeded).toBeUndefined();
    const success = await new CommandProcess({ command: process.execPath, args: ['-e', script, '0'], limits: { memoryMb: 512 } }).run();
    expect(success).toMatchObject({ exitCode: 0, error: null });
    expect(success.limitExceeded).toBeUndefined();
  });

  it('without prlimit on PATH a limited process is not started and the result says why', async () => {
    const emptyBin = makeTempDir('rxo-no-prlimit-');
    try {
      const result = await new CommandProcess({
        command: process.execPath,
        args: [fixture('exit.js'), '0'],
        env: { PATH: emptyBin },
        limits: { memoryMb: 100 },
      }).run();
      expect(result).toMatchObject({ exitCode: 127, reason: 'spawn-error', pid: null });
      expect(result.error).toBe('memory and CPU limits need `prlimit` (util-linux), which was not found on PATH; the process was not started');
      const niced = await new CommandProcess({ command: process.execPath, args: ['-e', ''], env: { PATH: emptyBin }, limits: { nice: 3 } }).run();
      expect(niced).toMatchObject({ exitCode: 127, pid: null });
      expect(niced.error).toMatch(/`nice` \(coreutils\) was not found on PATH/);
    } finally {
      removeDir(emptyBin);
    }
  });

  it('a Claude process runs under its limits too', async () => {
    const dir = makeTempDir('rxo-claude-limits-');
    try {
      // A stand-in Claude executable that reports the limits it runs under.
      const fake = join(dir, 'claude');
      writeFileSync(fake, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(fixture('report-limits.js'))}\n`, { mode: 0o755 });
      const result = await new ClaudeProcess({ prompt: 'hi', command: fake, outputFormat: 'text', limits: { cpuSeconds: 5, nice: 2 } }).run();
      expect(result).toMatchObject({ exitCode: 0 });
      expect(reported(result.output)).toMatchObject({ nice: 2, cpu: { soft: '5', hard: '6' } });
    } finally {
      removeDir(dir);
    }
  });

  it.each<[string, unknown, string]>([
    ['not an object', 5, 'limits must be an object like { memoryMb, cpuSeconds, nice }, received 5 (number)'],
    ['memoryMb 0', { memoryMb: 0 }, 'limits.memoryMb must be a finite number of MiB greater than 0, received 0 (number)'],
    ['memoryMb "1G"', { memoryMb: '1G' }, 'limits.memoryMb must be a finite number of MiB greater than 0, received "1G" (string)'],
    ['cpuSeconds 1.5', { cpuSeconds: 1.5 }, 'limits.cpuSeconds must be a positive whole number of seconds, received 1.5 (number)'],
    ['cpuSeconds -1', { cpuSeconds: -1 }, 'limits.cpuSeconds must be a positive whole number of seconds, received -1 (number)'],
    ['nice 20', { nice: 20 }, 'limits.nice must be an integer from -20 to 19, received 20 (number)'],
    ['nice -21', { nice: -21 }, 'limits.nice must be an integer from -20 to 19, received -21 (number)'],
    ['an unknown field', { memory: 5 }, 'limits.memory must be one of memoryMb, cpuSeconds, nice, received 5 (number)'],
  ])('rejects %s with a TypeError before anything runs', (_, limits, message) => {
    const make = (): CommandProcess => new CommandProcess({ command: 'true', limits: limits as never });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
  });
});
