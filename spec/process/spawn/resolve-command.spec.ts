/**
 * Finding the executable before anything is spawned, the way execvp(3) would, with the exit code a
 * shell would give for each problem.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveCommand } from '../../../src/process/spawn/resolve-command';
import { makeTempDir, removeDir } from '../../helpers';

describe('resolveCommand', () => {
  let dir: string;
  const script = (path: string, mode: number): string => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '#!/bin/sh\necho hi\n');
    chmodSync(path, mode);
    return path;
  };

  beforeAll(() => {
    dir = makeTempDir();
    script(join(dir, 'bin', 'tool'), 0o755);
    script(join(dir, 'noexec', 'tool'), 0o644);
    script(join(dir, 'noexec', 'plain'), 0o644);
    mkdirSync(join(dir, 'dirs', 'tool'), { recursive: true });
  });
  afterAll(() => removeDir(dir));

  it('finds a command on PATH and returns its absolute path', () => {
    expect(resolveCommand('tool', '/', `/nonexistent:${join(dir, 'bin')}`)).toBe(join(dir, 'bin', 'tool'));
  });

  it('finds node on the real PATH', () => {
    expect(resolveCommand('node', process.cwd(), process.env.PATH)).toMatch(/\/node$/);
  });

  it('gives 127 for a command found nowhere on PATH', () => {
    expect(resolveCommand('rxo-missing', '/', join(dir, 'bin'))).toEqual({
      exitCode: 127,
      message: 'command not found: rxo-missing (searched PATH)',
    });
  });

  it('looks in the default path, as execvp does, without a PATH at all', () => {
    expect(resolveCommand('sh', '/', undefined)).toMatch(/^\/(usr\/(local\/)?)?bin\/sh$/);
    expect(resolveCommand('rxo-missing', '/', undefined)).toEqual({
      exitCode: 127,
      message: 'command not found: rxo-missing (PATH is not set; searched the default path /usr/local/bin:/usr/bin:/bin)',
    });
  });

  it('skips a file on PATH that is not executable and takes a later one that is', () => {
    const path = [join(dir, 'noexec'), join(dir, 'dirs'), join(dir, 'bin')].join(':');
    expect(resolveCommand('tool', '/', path)).toBe(join(dir, 'bin', 'tool'));
  });

  it('gives 126 when the only match on PATH is not executable', () => {
    const problem = resolveCommand('plain', '/', join(dir, 'noexec'));
    expect(problem).toMatchObject({ exitCode: 126 });
    expect(problem).toHaveProperty('message', expect.stringContaining('not executable'));
  });

  it('takes a command with a slash relative to the working directory', () => {
    expect(resolveCommand('./bin/tool', dir, '')).toBe(join(dir, 'bin', 'tool'));
    expect(resolveCommand('bin/tool', dir, '')).toBe(join(dir, 'bin', 'tool'));
  });

  it('resolves relative PATH entries against the working directory', () => {
    expect(resolveCommand('tool', dir, 'bin')).toBe(join(dir, 'bin', 'tool'));
  });

  it('does not search the working directory for an empty PATH entry', () => {
    expect(resolveCommand('tool', join(dir, 'bin'), ':')).toMatchObject({ exitCode: 127 });
  });

  it('gives 127 for a path that does not exist', () => {
    const problem = resolveCommand(join(dir, 'nope'), '/', '');
    expect(problem).toMatchObject({ exitCode: 127 });
    expect(problem).toHaveProperty('message', expect.stringContaining(join(dir, 'nope')));
  });

  it('gives 126 for a path that is not executable or is a directory', () => {
    expect(resolveCommand(join(dir, 'noexec', 'tool'), '/', '')).toMatchObject({ exitCode: 126 });
    const problem = resolveCommand(join(dir, 'dirs', 'tool'), '/', '');
    expect(problem).toMatchObject({ exitCode: 126 });
    expect(problem).toHaveProperty('message', expect.stringContaining('not a regular file'));
  });

  it('reports a working directory that does not exist, naming it', () => {
    const missing = join(dir, 'missing');
    expect(resolveCommand('tool', missing, join(dir, 'bin'))).toEqual({
      exitCode: 1,
      message: `working directory does not exist or is not a directory: ${missing}`,
    });
  });

  it('reports a working directory that is a file', () => {
    expect(resolveCommand('tool', join(dir, 'bin', 'tool'), join(dir, 'bin'))).toMatchObject({ exitCode: 1 });
  });

  it('gives 127 for an empty command', () => {
    expect(resolveCommand('', '/', process.env.PATH)).toMatchObject({ exitCode: 127 });
  });
});
