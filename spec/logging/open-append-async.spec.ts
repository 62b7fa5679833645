/**
 * `LogDirectory.openAppendAsync`: the same guarantees as `openAppend`, from the thread pool. In a
 * fresh directory a name is created new once, and opens of one name made at once are served in
 * turn (the second appends to the file the first created); a planted symlink, a hard-linked or a
 * foreign file is refused with a LogWriteError; a closed directory rejects.
 */
import { closeSync, linkSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LogWriteError } from '../../src/errors';
import { createSessionDirectory } from '../../src/logging/open-log-directory';
import { makeTempDir, removeDir } from '../helpers';

describe('LogDirectory.openAppendAsync', () => {
  let root: string;
  beforeEach(() => {
    root = makeTempDir();
  });
  afterEach(() => removeDir(root));

  it('serves opens of one name made at once in turn, the file created once, every write kept', async () => {
    const directory = createSessionDirectory(root, 'fresh');
    const fds = await Promise.all([directory.openAppendAsync('a.log'), directory.openAppendAsync('a.log'), directory.openAppendAsync('b.log')]);
    fds.forEach((fd, i) => {
      writeSync(fd, `${i}\n`);
      closeSync(fd);
    });
    directory.close();
    expect(readFileSync(join(root, 'fresh', 'a.log'), 'utf8')).toBe('0\n1\n');
    expect(readFileSync(join(root, 'fresh', 'b.log'), 'utf8')).toBe('2\n');
  });

  it('refuses a planted symlink, leaving its target untouched, and a file with two links', async () => {
    const directory = createSessionDirectory(root, 'planted');
    const victim = join(root, 'victim');
    writeFileSync(victim, 'keep\n');
    symlinkSync(victim, join(root, 'planted', 'x.log'));
    await expect(directory.openAppendAsync('x.log')).rejects.toBeInstanceOf(LogWriteError);
    linkSync(victim, join(root, 'planted', 'y.log'));
    await expect(directory.openAppendAsync('y.log')).rejects.toThrow(/hard links|EEXIST|exists/);
    directory.close();
    expect(readFileSync(victim, 'utf8')).toBe('keep\n');
  });

  it('rejects with a LogWriteError once the directory is closed', async () => {
    const directory = createSessionDirectory(root, 'closed');
    directory.close();
    await expect(directory.openAppendAsync('z.log')).rejects.toBeInstanceOf(LogWriteError);
  });
});
