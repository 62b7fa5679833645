/**
 * `logDir`: one log file per process, complete when the run resolves, private, inside its
 * directory whatever the id, and free of secrets.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { LogDirectoryError } from '../../src/errors';
import { fileLogSink } from '../../src/logging/file-log-sink';
import { CommandProcess } from '../../src/runnable/command-process';
import type { ProcessLogSink, RunLogHeader } from '../../src/logging/log-sink';
import type { ProcessEvent, ProcessResult } from '../../src/process/types';
import { childPids, fixture, makeTempDir, newChildren, nodeFixture, removeDir, startRun, waitFor } from '../helpers';

const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO |WARN |ERROR) (.*)$/;

/** The lines of a log file as `LEVEL message`, asserting each starts with a timestamp. */
function logLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((line) => {
    const match = LINE.exec(line);
    if (!match) throw new Error(`log line without timestamp and level: ${JSON.stringify(line.slice(0, 200))}`);
    return `${match[1].trim()} ${match[2]}`;
  });
}

describe('logDir', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('writes <logDir>/<id>.log with the command, every output line marked by stream, and the end', async () => {
    const logDir = join(dir, 'logs');
    const args = [fixture('print.js'), '--lines', '2', '--err', 'oops', '--out', 'no newline'];
    const result = await new CommandProcess({ command: process.execPath, args, processId: 'build', logDir }).run();
    expect(readdirSync(logDir)).toEqual(['build.log']);
    expect(logLines(join(logDir, 'build.log'))).toEqual([
      'INFO process "build"',
      `INFO command: ${process.execPath} ${fixture('print.js')} --lines 2 --err oops --out 'no newline'`,
      `INFO cwd: ${process.cwd()}`,
      `INFO started, pid ${result.pid}`,
      'INFO stdout | line 1',
      'INFO stdout | line 2',
      'INFO stdout | no newline',
      'WARN stderr | oops',
      `INFO ended: succeeded (exit), exit code 0, ${result.duration.toFixed(3)} s`,
    ]);
  });

  it('keeps every header entry on one timestamped line: arguments and prompts cannot forge log lines', async () => {
    const logDir = join(dir, 'logs');
    const sink = fileLogSink(logDir);
    const forged = 'x\n2026-01-01T00:00:00.000Z INFO  stdout | forged';
    const log = sink.open({ processId: 'forge', command: 'echo', args: [forged], cwd: dir, prompt: `ask\n${forged}`, terminal: false });
    await log.close(undefined);
    const lines = logLines(join(logDir, 'forge.log'));
    expect(lines).toContain(`INFO command: echo $'${forged.replace('\n', '\\n')}'`);
    expect(lines).toContain('INFO prompt | ask');
    expect(lines).toContain('INFO prompt | x');
    expect(lines).toContain('INFO prompt | 2026-01-01T00:00:00.000Z INFO  stdout | forged');
    expect(lines.filter((line) => line.startsWith('INFO stdout'))).toEqual([]);
  });

  it('records a remote run taken over by another worker, ending the lost start\'s unfinished line first', async () => {
    const logDir = join(dir, 'logs');
    const log = fileLogSink(logDir).open({ processId: 'remote', command: 'echo', args: [], cwd: dir, terminal: false });
    const at = Date.now();
    log.record({ type: 'start', processId: 'remote', pid: 11, command: 'echo', args: [], at, seq: 0 } as ProcessEvent);
    log.record({ type: 'output', processId: 'remote', stream: 'stdout', chunk: 'half a li', at, seq: 1 } as ProcessEvent);
    log.record({ type: 'restart', processId: 'remote', workerId: 'b-2', previousWorkerId: 'a-1\nINFO forged', attempt: 2, at, seq: 2 } as ProcessEvent);
    await log.close(undefined);
    const lines = logLines(join(logDir, 'remote.log'));
    expect(lines.slice(-3, -1)).toEqual(['INFO stdout | half a li', 'WARN restarted on worker b-2 (was a-1\\nINFO forged), start 2']);
  });

  it('logs a failed run at error level with its reason', async () => {
    const logDir = join(dir, 'logs');
    const result = await nodeFixture('exit.js', ['3'], { processId: 'fails', logDir }).run();
    const last = logLines(join(logDir, 'fails.log')).pop();
    expect(last).toBe(`ERROR ended: failed (exit), exit code 3, ${result.duration.toFixed(3)} s: exited with code 3`);
  });

  it('logs terminal-mode output as stdout and says the run used a terminal', async () => {
    const logDir = join(dir, 'logs');
    await nodeFixture('print.js', ['--lines', '1', '--err', 'also tty'], { processId: 't', logDir, terminal: true }).run();
    const log = logLines(join(logDir, 't.log'));
    expect(log).toContain(`INFO cwd: ${process.cwd()} (terminal mode)`);
    expect(log.filter((line) => / (stdout|stderr) \| /.test(line))).toEqual([
      'INFO stdout | line 1',
      'INFO stdout | also tty',
    ]);
  });

  it('is complete when run() resolves: 20,000 lines, all present, in order', async () => {
    const logDir = join(dir, 'logs');
    await nodeFixture('print.js', ['--lines', '20000'], { processId: 'many', logDir }).run();
    const log = logLines(join(logDir, 'many.log'));
    const output = log.filter((line) => line.startsWith('INFO stdout | '));
    expect(output).toHaveLength(20000);
    expect(output.every((line, i) => line === `INFO stdout | line ${i + 1}`)).toBe(true);
    expect(log[log.length - 1]).toMatch(/^INFO ended: succeeded/);
  });

  it('appends every run of one process to its one file', async () => {
    const logDir = join(dir, 'logs');
    const child = nodeFixture('print.js', ['--out', 'run'], { processId: 'twice', logDir });
    await child.run();
    await child.run();
    expect(readdirSync(logDir)).toEqual(['twice.log']);
    const log = logLines(join(logDir, 'twice.log'));
    expect(log.filter((line) => line.startsWith('INFO ended: '))).toHaveLength(2);
  });

  it('creates the directory with mode 0700 and the log with mode 0600', async () => {
    const logDir = join(dir, 'a', 'b', 'logs');
    await nodeFixture('exit.js', ['0'], { processId: 'private', logDir }).run();
    expect(statSync(logDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(logDir, 'private.log')).mode & 0o777).toBe(0o600);
  });

  it('keeps every id inside the directory, each in a file of its own', async () => {
    const logDir = join(dir, 'logs');
    const ids = ['../x', 'a/b', 'a_b', '..', '', 'x'.repeat(5000), 'session', '/etc/passwd'];
    for (const processId of ids) {
      await nodeFixture('print.js', ['--out', `id ${processId.length}`], { processId, logDir }).run();
    }
    expect(readdirSync(dir)).toEqual(['logs']);
    const files = readdirSync(logDir);
    expect(files).toHaveLength(ids.length);
    for (const file of files) {
      expect(file).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*\.log$/);
      expect(resolve(logDir, file).startsWith(logDir + sep)).toBe(true);
    }
    // Each file holds exactly one run, of the id it names in its header.
    const headers = files.map((file) => {
      const log = logLines(join(logDir, file));
      expect(log.filter((line) => line.startsWith('INFO ended: '))).toHaveLength(1);
      return JSON.parse(log[0].slice('INFO process '.length)) as string;
    });
    expect(headers.sort()).toEqual([...ids].sort());
    expect(existsSync(join(dir, 'x.log'))).toBe(false);
  });

  it('keeps secrets from the environment and key-shaped strings out of the log', async () => {
    const logDir = join(dir, 'logs');
    const apiKey = 'sk-ant-api03-SpecSecretValue_123';
    const token = 'plain-token-value-42';
    const stray = 'sk-ant-admin01-NotFromTheEnvironment';
    const result = await nodeFixture(
      'print.js',
      ['--env', 'ANTHROPIC_API_KEY', '--env', 'RXO_SERVICE_TOKEN', '--out', `stray ${stray}\n`, '--err', `${apiKey}\n`, '--out', token],
      { processId: 'secret', logDir, env: { ANTHROPIC_API_KEY: apiKey, RXO_SERVICE_TOKEN: token } },
    ).run();
    // The child itself saw them: only the log is redacted.
    expect(result.output).toContain(apiKey);
    const text = readFileSync(join(logDir, 'secret.log'), 'utf8');
    for (const secret of [apiKey, token, stray, 'sk-ant-']) expect(text).not.toContain(secret);
    expect(text).toContain('stdout | [REDACTED]\n');
    expect(text).toContain('stdout | stray [REDACTED]\n');
    expect(text).toContain('stderr | [REDACTED]\n');
    expect(text).toContain("--out $'stray [REDACTED]\\n'");
  });

  it('records a run abandoned by unsubscribing', async () => {
    const logDir = join(dir, 'logs');
    const run = startRun(nodeFixture('print-then-hang.js', [], { processId: 'left', logDir }).events());
    await run.waitForOutput('before hang');
    run.subscription.unsubscribe();
    const file = join(logDir, 'left.log');
    await waitFor(() => readFileSync(file, 'utf8').includes('ended: abandoned'), 'the log records the abandon', 8000);
    expect(logLines(file)).toContainEqual(
      'ERROR ended: abandoned: the subscriber unsubscribed; the process group was stopped',
    );
  });

  it('fails with LogDirectoryError, running nothing, when the directory cannot be created', async () => {
    const file = join(dir, 'regular-file');
    writeFileSync(file, 'not a directory');
    const logDir = join(file, 'logs');
    expect(() => fileLogSink(logDir)).toThrow(LogDirectoryError);
    // (Under jest the cause comes from another realm, so the message may read "Error: ENOTDIR".)
    expect(() => fileLogSink(logDir)).toThrow(`cannot write logs to ${logDir}: `);
    expect(() => fileLogSink(logDir)).toThrow('ENOTDIR: not a directory');

    const marker = join(dir, 'touched');
    const before = childPids();
    const child = new CommandProcess({ command: 'touch', args: [marker], logDir });
    const error = await child.run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LogDirectoryError);
    expect(error).toMatchObject({ name: 'LogDirectoryError', directory: logDir, cause: { code: 'ENOTDIR' } });
    expect(newChildren(before)).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('fileLogSink', () => {
  it('tells onRunEnd the header, the result and the file once the log is complete', async () => {
    const dir = makeTempDir();
    try {
      const ends: { header: RunLogHeader; result: ProcessResult | undefined; file: string; size: number }[] = [];
      const sink = fileLogSink(dir, {
        secrets: ['extra-secret-value'],
        onRunEnd: (header, result, file) => ends.push({ header, result, file, size: statSync(file).size }),
      });
      const result = await nodeFixture('print.js', ['--out', 'extra-secret-value\n'], { processId: 'cb', logSink: sink }).run();
      expect(ends).toHaveLength(1);
      expect(ends[0]).toMatchObject({ header: { processId: 'cb', terminal: false }, result, file: join(dir, 'cb.log') });
      expect(ends[0].size).toBe(statSync(join(dir, 'cb.log')).size);
      expect(readFileSync(join(dir, 'cb.log'), 'utf8')).toContain('stdout | [REDACTED]\n');
    } finally {
      removeDir(dir);
    }
  });
});

describe('logSink option', () => {
  it('takes precedence over logDir and receives every event before the result is delivered', async () => {
    const dir = makeTempDir();
    try {
      const recorded: ProcessEvent[] = [];
      let closedWith: ProcessResult | undefined;
      const sink: ProcessLogSink = {
        open: () => ({
          record: (event) => recorded.push(event),
          close: async (result) => {
            closedWith = result;
          },
        }),
      };
      const logDir = join(dir, 'unused');
      const result = await nodeFixture('print.js', ['--out', 'hi\n'], { processId: 's', logSink: sink, logDir }).run();
      expect(closedWith).toBe(result);
      expect(recorded.map((event) => event.type)).toEqual(['start', 'output']);
      expect(existsSync(logDir)).toBe(false);
    } finally {
      removeDir(dir);
    }
  });
});
