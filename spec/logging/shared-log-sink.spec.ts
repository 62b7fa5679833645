/**
 * `logDir` sinks are shared per directory by every process of the host; what each run adds must
 * still be its own: a secret put into the host environment after the sink was made, or given in
 * one process's `env`, is kept out of that process's log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandProcess } from '../../src/runnable/command-process';
import { makeTempDir, removeDir } from '../helpers';

describe('a logDir shared by many processes', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => {
    delete process.env.RXO_SPEC_LATE_TOKEN;
    removeDir(dir);
  });

  it('redacts a host secret set after the first process logged there', async () => {
    const logDir = join(dir, 'logs');
    const first = await new CommandProcess({ command: 'echo', args: ['first'], processId: 'first', logDir }).run();
    expect(first.exitCode).toBe(0);
    process.env.RXO_SPEC_LATE_TOKEN = 'late-secret-value-42';
    const second = await new CommandProcess({ command: 'sh', args: ['-c', 'echo "$RXO_SPEC_LATE_TOKEN"'], processId: 'second', logDir }).run();
    expect(second.exitCode).toBe(0);
    const log = readFileSync(join(logDir, 'second.log'), 'utf8');
    expect(log).toContain('stdout | [REDACTED]');
    expect(log).not.toContain('late-secret-value-42');
  });

  it("redacts one process's own env secret in its log, and another process's log is its own", async () => {
    const logDir = join(dir, 'logs');
    const env = { RXO_SPEC_API_KEY: 'own-secret-value-17' };
    const [withSecret, plain] = await Promise.all([
      new CommandProcess({ command: 'sh', args: ['-c', 'echo "$RXO_SPEC_API_KEY"'], processId: 'with-secret', logDir, env }).run(),
      new CommandProcess({ command: 'echo', args: ['plain words'], processId: 'plain', logDir }).run(),
    ]);
    expect([withSecret.exitCode, plain.exitCode]).toEqual([0, 0]);
    const log = readFileSync(join(logDir, 'with-secret.log'), 'utf8');
    expect(log).toContain('stdout | [REDACTED]');
    expect(log).not.toContain('own-secret-value-17');
    expect(readFileSync(join(logDir, 'plain.log'), 'utf8')).toContain('stdout | plain words');
  });
});
