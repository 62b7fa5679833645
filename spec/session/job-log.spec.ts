/**
 * The job log (`joblog.tsv`): one line per finished process of a session, written before the
 * result is delivered, with the right fields, 0600, secrets redacted, one line whatever an id holds.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResumeError } from '../../src/errors';
import { readJobLog as publicReadJobLog } from '../../src/toolkit';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import { readJobLog } from '../../src/session/job-log';
import { runParallel } from '../../src/strategies/parallel';
import { fixture, tempDirs } from '../helpers';

const temp = tempDirs('rxo-joblog-');
const sessions: OrchestratorSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});
afterAll(() => temp.cleanup());

function session(): OrchestratorSession {
  const created = new OrchestratorSession({ patternName: 'joblog', workingDir: temp.make() });
  sessions.push(created);
  return created;
}

const HEADER = 'id\tstart\tduration\texit_code\tsignal\tattempts\treason\tcommand';

describe('job log', () => {
  it('has one line per finished process: id, start, duration, exit code, signal, attempts, reason, command', async () => {
    const s = session();
    const node = process.execPath;
    const jobs = [
      s.createCommand(node, ['-e', 'console.log("fine")'], 'ok'),
      s.createCommand(node, ['-e', 'process.exit(3)'], 'exit-3'),
      s.createCommand(node, ['-e', 'process.kill(process.pid, "SIGTERM")'], 'killed'),
      s.createCommand(node, [fixture('sleep.js'), '30000'], 'slow', { timeout: 0.5 }),
      s.createCommand('no-such-command-rxo', ['a b'], 'missing'),
    ];
    const results = await runParallel(jobs, { maxWorkers: 5 });
    // Complete before the Promise resolved.
    const path = join(s.sessionDir, 'joblog.tsv');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(6);

    const entries = readJobLog(s.sessionDir);
    // In completion order, like the results.
    expect(entries.map((e) => e.processId)).toEqual(results.map((r) => r.processId));
    for (const result of results) {
      const entry = entries.find((e) => e.processId === result.processId)!;
      expect(entry).toEqual({
        processId: result.processId,
        start: result.startedAt,
        duration: Number(result.duration.toFixed(3)),
        exitCode: result.exitCode,
        signal: result.signal,
        attempts: 1,
        reason: result.reason,
        command: expect.any(String),
      });
    }
    const byId = new Map(entries.map((e) => [e.processId, e]));
    expect(byId.get('ok')).toMatchObject({ exitCode: 0, signal: null, reason: 'exit', command: `${node} -e 'console.log("fine")'` });
    expect(byId.get('exit-3')).toMatchObject({ exitCode: 3, reason: 'exit' });
    expect(byId.get('killed')).toMatchObject({ exitCode: 143, signal: 'SIGTERM', reason: 'signal' });
    expect(byId.get('slow')).toMatchObject({ exitCode: -1, reason: 'timeout' });
    expect(byId.get('missing')).toMatchObject({ exitCode: 127, reason: 'spawn-error', command: "no-such-command-rxo 'a b'" });
    // The raw line: ISO start, three decimals, '-' for no signal.
    const okLine = lines.find((line) => line.startsWith('ok\t'))!.split('\t');
    expect(okLine[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(okLine[2]).toMatch(/^\d+\.\d{3}$/);
    expect(okLine.slice(3, 7)).toEqual(['0', '-', '1', 'exit']);
  });

  it('keeps secrets from the environment and key-shaped values out of the command column', async () => {
    const s = session();
    const secret = 'hunter2-very-secret-value';
    const key = 'sk-ant-api03-abcdefghijklmnop';
    await s.createCommand(process.execPath, ['-e', '', secret, key], 'secretive', { env: { MY_SERVICE_TOKEN: secret } }).run();
    const text = readFileSync(join(s.sessionDir, 'joblog.tsv'), 'utf8');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(key);
    expect(readJobLog(s.sessionDir)[0].command).toBe(`${process.execPath} -e '' [REDACTED] [REDACTED]`);
  });

  it('a tab, a newline or a backslash in an id or a command cannot split or forge a line', async () => {
    const s = session();
    const id = 'two\nlines\tand\\tab';
    await s.createCommand(process.execPath, ['-e', '', 'x\ty\nz'], id).run();
    const lines = readFileSync(join(s.sessionDir, 'joblog.tsv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1].startsWith('two\\nlines\\tand\\\\tab\t')).toBe(true);
    const [entry] = readJobLog(s.sessionDir);
    expect(entry.processId).toBe(id);
    expect(entry.command).toBe(`${process.execPath} -e '' $'x\\ty\\nz'`);
  });

  it('shortens a command past 1000 characters', async () => {
    const s = session();
    await s.createCommand(process.execPath, ['-e', '', 'y'.repeat(5000)], 'long').run();
    const [entry] = readJobLog(s.sessionDir);
    expect(entry.command).toMatch(/^.{1000}\.\.\.\[\d+ more characters\]$/);
  });

  it('a session that finished nothing has no job log, and reading it gives no entries', async () => {
    const s = session();
    expect(existsSync(join(s.sessionDir, 'joblog.tsv'))).toBe(false);
    expect(publicReadJobLog(s.sessionDir)).toEqual([]);
  });

  it('reading a file that is not a job log is a ResumeError', () => {
    const dir = temp.make('bad');
    writeFileSync(join(dir, 'joblog.tsv'), 'Seq\tHost\n1\tx\n');
    expect(() => readJobLog(dir)).toThrow(ResumeError);
    expect(() => readJobLog(dir)).toThrow(/is not a job log: its header is "Seq\\tHost"/);
  });
});
