/**
 * CommandProcess: option validation before anything runs, the environment and stdin a run gets,
 * and `run()` resolving (never rejecting) for a failed process.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CommandProcess, type CommandProcessOptions } from '../../src/runnable/command-process';
import { formatContext } from '../../src/operators/context';
import { CommandProcess as PublicCommandProcess } from '../../src/index';
import { childPids, fixture, makeTempDir, newChildren, nodeFixture, removeDir, sha256 } from '../helpers';

const base = { command: process.execPath, args: [fixture('exit.js'), '0'] };

describe('CommandProcess options', () => {
  it('is what the package exports', () => {
    expect(PublicCommandProcess).toBe(CommandProcess);
  });

  it.each<[string, Partial<Record<keyof CommandProcessOptions, unknown>>, string]>([
    ['an empty command', { command: '' }, 'command must be a non-empty string, received "" (string)'],
    ['a missing command', { command: undefined }, 'command must be a non-empty string, received undefined (undefined)'],
    ['a command that is not a string', { command: ['ls'] }, 'command must be a non-empty string, received ls (array)'],
    ['timeout -1', { timeout: -1 }, 'timeout must be a finite number of seconds, 0 or more (0: no timeout), received -1 (number)'],
    ['timeout -0.5', { timeout: -0.5 }, 'received -0.5 (number)'],
    ['timeout "abc"', { timeout: 'abc' }, 'timeout must be a finite number of seconds, 0 or more (0: no timeout), received "abc" (string)'],
    ['timeout Infinity', { timeout: Number.POSITIVE_INFINITY }, 'received Infinity (number)'],
    ['timeoutMs -1', { timeoutMs: -1 }, 'timeoutMs must be a finite number of milliseconds, 0 or more, received -1 (number)'],
    ['timeout and timeoutMs that disagree', { timeout: 2, timeoutMs: 3000 }, 'timeout (seconds) and timeoutMs name the same option; give one (received 2000 and 3000)'],
    ['killGraceMs NaN', { killGraceMs: Number.NaN }, 'killGraceMs must be a finite number of milliseconds, 0 or more, received NaN (number)'],
    ['killGraceMs -1', { killGraceMs: -1 }, 'killGraceMs must be a finite number of milliseconds, 0 or more, received -1 (number)'],
    ['exitGraceMs "1"', { exitGraceMs: '1' }, 'exitGraceMs must be a finite number of milliseconds, 0 or more, received "1" (string)'],
    ['the old killGrace (seconds)', { killGrace: 1 } as never, 'killGrace must be absent: it was renamed killGraceMs (milliseconds), received 1 (number)'],
    ['args not an array', { args: 'a b' }, 'args must be an array of strings, received "a b" (string)'],
    ['args with a number', { args: ['a', 1] }, 'args must be an array of strings, received a,1 (array)'],
    ['input a number', { input: 42 }, 'input must be a string or a Buffer, received 42 (number)'],
    ['processId a number', { processId: 7 }, 'processId must be a string, received 7 (number)'],
    ['cwd empty', { cwd: '' }, 'cwd must be a non-empty string, received "" (string)'],
    ['extendEnv "yes"', { extendEnv: 'yes' }, 'extendEnv must be a boolean, received "yes" (string)'],
    ['killLeftovers 1', { killLeftovers: 1 }, 'killLeftovers must be a boolean, received 1 (number)'],
    ['streamOutput "true"', { streamOutput: 'true' }, 'streamOutput must be a boolean, received "true" (string)'],
    ['logDir empty', { logDir: '' }, 'logDir must be a non-empty string, received "" (string)'],
    ['terminal "yes"', { terminal: 'yes' }, 'terminal must be a boolean or { cols, rows }, received "yes" (string)'],
    ['terminal null', { terminal: null }, 'received null (null)'],
    ['terminal cols -1', { terminal: { cols: -1 } }, 'terminal.cols must be a positive integer, received -1 (number)'],
    ['terminal rows 1.5', { terminal: { rows: 1.5 } }, 'terminal.rows must be a positive integer, received 1.5 (number)'],
    ['terminal cols "abc"', { terminal: { cols: 'abc' } }, 'terminal.cols must be a positive integer, received "abc" (string)'],
  ])('throws a TypeError naming the value for %s', (_name, options, message) => {
    const before = childPids();
    expect(() => new CommandProcess({ ...base, ...options } as CommandProcessOptions)).toThrow(TypeError);
    expect(() => new CommandProcess({ ...base, ...options } as CommandProcessOptions)).toThrow(message);
    expect(newChildren(before)).toEqual([]);
  });

  it('throws a TypeError when given no options at all', () => {
    expect(() => new CommandProcess(undefined as unknown as CommandProcessOptions)).toThrow(TypeError);
  });

  it('accepts killGraceMs and exitGraceMs of 0, and timeout with an equal timeoutMs', () => {
    expect(() => new CommandProcess({ ...base, killGraceMs: 0, exitGraceMs: 0 })).not.toThrow();
    expect(() => new CommandProcess({ ...base, timeout: 2, timeoutMs: 2000 })).not.toThrow();
  });

  it('rejects a bad per-run timeout when subscribed, spawning nothing', async () => {
    const dir = makeTempDir();
    try {
      const marker = join(dir, 'touched');
      const child = new CommandProcess({ command: 'touch', args: [marker] });
      await expect(child.run({ timeoutMs: -1 })).rejects.toThrow(
        new TypeError('timeoutMs must be a finite number of milliseconds, 0 or more, received -1 (number)'),
      );
      expect(existsSync(marker)).toBe(false);
    } finally {
      removeDir(dir);
    }
  });

  it('names the process after the command file unless given a processId', () => {
    expect(new CommandProcess({ command: '/usr/bin/env' }).processId).toBe('env');
    expect(new CommandProcess({ command: 'echo', processId: 'greeter' }).processId).toBe('greeter');
    expect(new CommandProcess({ command: 'echo', processId: '' }).processId).toBe('');
  });
});

describe('CommandProcess runs', () => {
  it('resolves, never rejects, for a process that fails', async () => {
    await expect(nodeFixture('exit.js', ['3']).run()).resolves.toMatchObject({ exitCode: 3 });
    await expect(new CommandProcess({ command: 'rxo-missing-command' }).run()).resolves.toMatchObject({ exitCode: 127 });
  });

  it('passes the host environment plus env, and drops variables set to undefined', async () => {
    process.env.RXO_SPEC_HOST = 'from-host';
    try {
      const result = await nodeFixture('print.js', ['--env', 'RXO_SPEC_HOST', '--env', 'RXO_SPEC_ADDED', '--env', 'HOME'], {
        env: { RXO_SPEC_ADDED: 'added', HOME: undefined },
      }).run();
      expect(result.output).toBe('from-host\nadded\nundefined\n');
    } finally {
      delete process.env.RXO_SPEC_HOST;
    }
  });

  it('passes only env with extendEnv: false', async () => {
    process.env.RXO_SPEC_HOST = 'from-host';
    try {
      const result = await nodeFixture('print.js', ['--env', 'RXO_SPEC_HOST', '--env', 'ONLY'], {
        extendEnv: false,
        env: { ONLY: 'this' },
      }).run();
      expect(result.output).toBe('undefined\nthis\n');
    } finally {
      delete process.env.RXO_SPEC_HOST;
    }
  });

  it('runs in the given working directory', async () => {
    const dir = makeTempDir();
    try {
      const result = await new CommandProcess({ command: 'pwd', cwd: dir }).run();
      expect(result.output).toBe(`${dir}\n`);
    } finally {
      removeDir(dir);
    }
  });

  it.each([false, true])('sends earlier outputs on stdin after the input (terminal: %s)', async (terminal) => {
    const context = [{ processId: 'first', output: 'héllo\n' }];
    const input = 'own input\n';
    const result = await nodeFixture('stdin-report.js', [], { input, terminal }).run({ context });
    const expected = Buffer.concat([Buffer.from(input), Buffer.from(formatContext(context))]);
    expect(result.output).toBe(`${expected.length} ${sha256(expected)}\n`);
  });

  it('sends earlier outputs alone when there is no input', async () => {
    const context = [{ processId: 'a', output: 'x' }, { processId: 'b', output: 'y\n' }];
    const result = await nodeFixture('stdin-report.js').run({ context });
    const expected = formatContext(context);
    expect(result.output).toBe(`${Buffer.byteLength(expected)} ${sha256(expected)}\n`);
  });
});
