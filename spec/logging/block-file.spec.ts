/**
 * The block writer of process logs: every line on disk, in order, when `close` resolves; the
 * descriptor closed; a full disk reported once (a real /dev/full); the output gate held while
 * more than the high-water mark waits, released once it is written.
 */
import { constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaults } from '../../src/defaults';
import type { LogWriteError } from '../../src/errors';
import { BlockFile, MAX_LOG_LINE } from '../../src/logging/block-file';
import { createRedactor, REDACTED } from '../../src/logging/redact';
import { OutputGate } from '../../src/process/buffer/output-gate';
import { makeTempDir, removeDir } from '../helpers';

const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/** Whether `fd` is still an open descriptor of this process. */
function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

describe('BlockFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('has every line on disk, in order, and the descriptor closed when close() resolves', async () => {
    const path = join(dir, 'a.log');
    const fd = openSync(path, APPEND, 0o600);
    const file = new BlockFile({ fd, path });
    const expected: string[] = [];
    // Small lines, then blocks larger than a block, mixed: written by size, by delay and at close.
    for (let i = 0; i < 3000; i += 1) {
      const text = i % 500 === 0 ? `${`big ${i} `.padEnd(defaults.logBlockChars + 10, 'x')}\n` : `line ${i} é€𝄞\n`;
      expected.push(text);
      file.append(text);
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe(expected.join(''));
    expect(isOpen(fd)).toBe(false);
    expect(file.incomplete).toBe(false);
  });

  it('writes a short log at close, closes once however often close() is called, and drops lines appended after', async () => {
    const path = join(dir, 'b.log');
    const fd = openSync(path, APPEND, 0o600);
    const file = new BlockFile({ fd, path });
    file.append('one\n');
    file.append('two\n');
    const [first, second] = [file.close(), file.close()];
    file.append('late\n');
    await Promise.all([first, second]);
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\n');
    expect(isOpen(fd)).toBe(false);
  });

  it('reports a full disk once, as a LogWriteError naming the file, and still closes the descriptor', async () => {
    const fd = openSync('/dev/full', constants.O_WRONLY);
    const errors: LogWriteError[] = [];
    const gate = new OutputGate();
    const file = new BlockFile({ fd, path: '/dev/full', gate, onError: (error) => errors.push(error) });
    for (let i = 0; i < 50; i += 1) file.append(`${'y'.repeat(defaults.logBlockChars)}\n`);
    await file.close();
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('/dev/full');
    expect(errors[0].message).toMatch(/ENOSPC|no space/i);
    expect(file.incomplete).toBe(true);
    expect(isOpen(fd)).toBe(false);
    expect(gate.open).toBe(true);
  });

  it('holds the gate while more than the high-water mark waits, and lets go once it is written', async () => {
    const path = join(dir, 'c.log');
    const fd = openSync(path, APPEND, 0o600);
    const gate = new OutputGate();
    const states: boolean[] = [];
    gate.watch((open) => states.push(open));
    const file = new BlockFile({ fd, path, gate });
    const block = `${'z'.repeat(64 * 1024 - 1)}\n`;
    // Appended in one turn of the event loop: the first block is being written, the rest waits.
    const count = Math.ceil((2 * defaults.logHighWaterMark) / block.length);
    for (let i = 0; i < count; i += 1) file.append(block);
    expect(gate.open).toBe(false);
    await file.close();
    expect(states).toEqual([false, true]);
    expect(gate.open).toBe(true);
    expect(readFileSync(path, 'utf8')).toHaveLength(count * block.length);
  });

  it('logs output lines marked and redacted, in order with plain entries, across blocks larger than a pooled buffer', async () => {
    const path = join(dir, 'd.log');
    const fd = openSync(path, APPEND, 0o600);
    const file = new BlockFile({ fd, path });
    const redact = createRedactor(['correct-horse-battery']);
    const expected: string[] = [];
    // Appended in one turn: the first block is being written while 3 MiB more wait, so the next
    // block spans several pooled buffers (written with one writev).
    for (let i = 0; i < 40; i += 1) {
      file.append(`entry ${i}\n`);
      expected.push(`entry ${i}\n`);
      const line = `${i} ${'o'.repeat(80)} é€𝄞`;
      const text = `${`${line}\n`.repeat(900)}secret correct-horse-battery ${i}\nno end`;
      file.appendLines(text, `T${i} | `, redact);
      expected.push(`${`T${i} | ${line}\n`.repeat(900)}T${i} | secret ${REDACTED} ${i}\nT${i} | no end\n`);
    }
    file.appendLines('', 'never | ', redact);
    await file.close();
    const log = readFileSync(path, 'utf8');
    expect(log.length).toBeGreaterThan(3 * 1024 * 1024);
    expect(log).not.toContain('correct-horse');
    expect(log).toBe(expected.join(''));
  });

  it('cuts an output line longer than MAX_LOG_LINE bytes into lines of its own, each marked', async () => {
    const path = join(dir, 'e.log');
    const fd = openSync(path, APPEND, 0o600);
    const file = new BlockFile({ fd, path });
    const long = '😀'.repeat(MAX_LOG_LINE / 2 + 1); // 4 bytes each: two full pieces and a third
    file.appendLines(`${long}\n`, '> ', createRedactor([]));
    await file.close();
    const lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
    expect(lines.length).toBe(3);
    for (const line of lines) {
      expect(line.startsWith('> ')).toBe(true);
      expect(Buffer.byteLength(line.slice(2))).toBeLessThanOrEqual(MAX_LOG_LINE);
      expect(line).not.toContain('\ufffd');
    }
    expect(lines.map((line) => line.slice(2)).join('')).toBe(long);
  });
});
