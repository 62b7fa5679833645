// OrchestratorSession: unique ids, the log directory, the process factory and its overrides,
// session.log, per-process logs complete on resolve, summary.json, secrets kept out of every file,
// an unwritable log directory, logging after close.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogDirectoryError } from '../../src/errors';
import type { ProcessResult } from '../../src/process/types';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import { runParallel } from '../../src/strategies/parallel';
import { runSequential } from '../../src/strategies/sequential';
import { tempDirs } from '../helpers';
import { installFakeClaude, readRecord } from '../strategies/helpers';

const temp = tempDirs();
let fake: string;
const sessions: OrchestratorSession[] = [];

beforeAll(() => {
  fake = installFakeClaude(temp.make());
});
afterEach(async () => {
  // Every session is closed, even when a test failed half-way: no open log files.
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});
afterAll(() => temp.cleanup());

function session(options: Partial<ConstructorParameters<typeof OrchestratorSession>[0]> = {}): OrchestratorSession {
  const created = new OrchestratorSession({ patternName: 'spec-pattern', workingDir: temp.make(), command: fake, ...options });
  sessions.push(created);
  return created;
}

const mode = (path: string): number => statSync(path).mode & 0o777;
const LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z (INFO |WARN |ERROR|DEBUG) .*$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('OrchestratorSession ids and directories', () => {
  it('gives 50 sessions of one pattern created in a tight loop 50 different ids and directories', async () => {
    const workingDir = temp.make();
    const created = Array.from({ length: 50 }, () => session({ patternName: 'parallel-analysis', workingDir }));
    expect(new Set(created.map((s) => s.sessionId)).size).toBe(50);
    expect(new Set(created.map((s) => s.sessionDir)).size).toBe(50);
    for (const s of created) expect(s.sessionId).toMatch(/^parallel-analysis_\d{8}-\d{6}_[0-9a-f]{8}$/);
  });

  it('logs by default to <workingDir>/.claude/runtime/logs/<sessionId>/, created with mode 0700', async () => {
    const workingDir = temp.make();
    const s = session({ workingDir });
    expect(s.sessionDir).toBe(join(workingDir, '.claude', 'runtime', 'logs', s.sessionId));
    expect(statSync(s.sessionDir).isDirectory()).toBe(true);
    expect(mode(s.sessionDir)).toBe(0o700);
    await s.close();
    expect(readdirSync(s.sessionDir)).toEqual(['session.log']);
  });

  it('uses an explicit sessionDir instead (the old name logDir is a clear error)', () => {
    const logDir = join(temp.make(), 'my', 'logs');
    const s = session({ sessionDir: logDir });
    expect(s.sessionDir).toBe(logDir);
    expect(mode(logDir)).toBe(0o700);
    expect(() => session({ logDir } as never)).toThrow("logDir must be absent: a session's own directory is now sessionDir (logDir is a process's log directory)");
  });

  it('takes cwd, or the seed\'s workingDir; both, when they differ, are a TypeError', () => {
    const dir = temp.make();
    const s = new OrchestratorSession({ patternName: 'cwd', cwd: dir });
    expect(s.workingDir).toBe(dir);
    void s.close();
    expect(() => new OrchestratorSession({ patternName: 'both', cwd: dir, workingDir: temp.make() })).toThrow(/workingDir and cwd name the same option; give one/);
  });

  it('throws LogDirectoryError for a log directory that cannot be created (a path under a regular file)', () => {
    const file = join(temp.make(), 'plain-file');
    writeFileSync(file, 'not a directory');
    const attempt = () => new OrchestratorSession({ patternName: 'x', sessionDir: join(file, 'logs') });
    expect(attempt).toThrow(LogDirectoryError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ name: 'LogDirectoryError', directory: join(file, 'logs') });
      expect((error as Error).message).toContain(join(file, 'logs'));
    }
    // A working directory that is not a directory is the caller's mistake: a TypeError naming it.
    expect(() => new OrchestratorSession({ patternName: 'x', workingDir: file })).toThrow(new TypeError(`workingDir must be an existing directory, received ${JSON.stringify(file)} (string)`));
  });
});

describe('OrchestratorSession.createProcess', () => {
  it('numbers processes without an id process_001, process_002, ... (explicit ids take no number)', () => {
    const s = session();
    expect(s.createProcess('a').processId).toBe('process_001');
    expect(s.createProcess('b', 'named').processId).toBe('named');
    expect(s.createProcess('c').processId).toBe('process_002');
    expect(s.createCommand('echo', ['x']).processId).toBe('process_003');
  });

  it('applies claudeOptions to every Claude process; per-call options win; bad claudeOptions throw', async () => {
    const records = temp.make();
    const s = session({ command: fake, claudeOptions: { outputFormat: 'text', maxTurns: 4, permissionMode: 'plan' } });
    const env = (name: string) => ({ env: { FAKE_CLAUDE_RECORD: join(records, `${name}.json`) } });
    const results = await runParallel([
      s.createProcess('shared', 'shared', env('shared')),
      s.createProcess('own', 'own', { ...env('own'), maxTurns: 9, outputFormat: 'json' }),
    ]);
    expect(results.map((r) => r.processId).sort()).toEqual(['own', 'shared']);
    expect(readRecord(join(records, 'shared.json')).argv).toEqual(['--permission-mode', 'plan', '-p', 'shared', '--max-turns', '4']);
    expect(readRecord(join(records, 'own.json')).argv).toEqual(['--permission-mode', 'plan', '-p', 'own', '--output-format', 'json', '--max-turns', '9']);
    expect(() => session({ claudeOptions: 'fast' as never })).toThrow(/claudeOptions must be an object of ClaudeProcess options, received "fast" \(string\)$/);
  });

  it("runs with the session's model, command and workingDir; per-call options override them", async () => {
    const records = temp.make();
    const otherFake = installFakeClaude(temp.make());
    const other = temp.make();
    const s = session({ model: 'session-model' });
    const env = (name: string) => ({ env: { FAKE_CLAUDE_RECORD: join(records, `${name}.json`) } });
    const processes = [
      s.createProcess('defaults', 'defaults', env('defaults')),
      s.createProcess('model', 'model', { ...env('model'), model: 'call-model' }),
      s.createProcess('command', 'command', { ...env('command'), command: otherFake }),
      s.createProcess('workingDir', 'workingDir', { ...env('workingDir'), workingDir: other }),
      s.createProcess('cwd', 'cwd', { ...env('cwd'), cwd: other }),
    ];

    const results = await runParallel(processes, { maxWorkers: 5 });

    expect(results.every((r) => r.exitCode === 0)).toBe(true);
    const seen = (name: string) => readRecord(join(records, `${name}.json`));
    expect(seen('defaults')).toMatchObject({
      script: fake,
      cwd: realpathSync(s.workingDir),
      argv: ['--dangerously-skip-permissions', '-p', 'defaults', '--model', 'session-model', '--output-format', 'stream-json', '--verbose', '--include-partial-messages'],
    });
    expect(seen('model').argv).toEqual(['--dangerously-skip-permissions', '-p', 'model', '--model', 'call-model', '--output-format', 'stream-json', '--verbose', '--include-partial-messages']);
    expect(seen('command').script).toBe(otherFake);
    expect(seen('workingDir').cwd).toBe(realpathSync(other));
    expect(seen('cwd').cwd).toBe(realpathSync(other));
  });
});

describe('OrchestratorSession logs and summary', () => {
  it('writes timestamped, levelled lines to session.log, all on disk after close()', async () => {
    const s = session();
    s.log('starting analysis');
    s.log('careful now', 'warn');
    s.log('something broke', 'error');
    s.log('fine detail', 'debug');
    await s.close();

    const lines = readFileSync(join(s.sessionDir, 'session.log'), 'utf8').trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(LINE);
    expect(lines[0]).toMatch(new RegExp(`INFO  session ${s.sessionId} started \\(pattern spec-pattern`));
    expect(lines.slice(1, 5).map((line) => line.replace(/^\S+ /, ''))).toEqual([
      'INFO  starting analysis',
      'WARN  careful now',
      'ERROR something broke',
      'DEBUG fine detail',
    ]);
    expect(lines[lines.length - 1]).toMatch(new RegExp(`INFO  session ${s.sessionId} closed$`));
    expect(mode(join(s.sessionDir, 'session.log'))).toBe(0o600);
  });

  it('log() after close() throws; close() twice is harmless', async () => {
    const s = session();
    await s.close();
    expect(() => s.log('too late')).toThrow(/is closed; cannot log: too late/);
    await expect(s.close()).resolves.toBeUndefined();
  });

  it("each process's log is complete on disk when the strategy's Promise resolves", async () => {
    const s = session();
    const reply = 'line one\nline two\nno newline at the end';
    const processes = [
      s.createProcess('Analyze security', 'security', { env: { FAKE_CLAUDE_REPLY: reply } }),
      s.createProcess('Analyze performance', 'performance', { env: { FAKE_CLAUDE_REPLY: 'slow\n', FAKE_CLAUDE_EXIT: '3' } }),
    ];

    const results = await runSequential(processes);

    const security = readFileSync(join(s.sessionDir, 'security.log'), 'utf8');
    expect(security).toContain(`command: ${fake} --dangerously-skip-permissions -p 'Analyze security' --output-format stream-json --verbose`);
    expect(security).toContain('prompt | Analyze security');
    expect(security).toContain('stdout | line one\n');
    expect(security).toContain('stdout | line two\n');
    expect(security).toContain('stdout | no newline at the end\n');
    expect(security.trimEnd().split('\n').pop()).toMatch(/INFO  ended: succeeded \(exit\), exit code 0/);
    const performance = readFileSync(join(s.sessionDir, 'performance.log'), 'utf8');
    expect(performance.trimEnd().split('\n').pop()).toMatch(/ERROR ended: failed \(exit\), exit code 3, .*exited with code 3/);
    expect(mode(join(s.sessionDir, 'security.log'))).toBe(0o600);
    expect(s.results().map((r) => r.processId)).toEqual(results.map((r) => r.processId));

    await s.close();
    const sessionLog = readFileSync(join(s.sessionDir, 'session.log'), 'utf8');
    expect(sessionLog).toMatch(/INFO  security: exit code 0 in [\d.]+ s; log .*security\.log/);
    expect(sessionLog).toMatch(/WARN  performance: exit code 3 in [\d.]+ s \(exited with code 3\); log .*performance\.log/);
  });

  it('writeSummary() writes summary.json (mode 0600) with the metadata, the counts and every result', async () => {
    const s = session();
    const processes = [
      s.createProcess('ok', 'ok'),
      s.createProcess('fails', 'fails', { env: { FAKE_CLAUDE_EXIT: '2' } }),
      s.createProcess('usage', 'usage', { command: 'sleep' }),
    ];
    // `usage` runs `sleep` with Claude's arguments: it fails at once with a usage error.
    const results: ProcessResult[] = await runParallel(processes, { maxWorkers: 3 });

    const path = await s.writeSummary(results, { command: 'spec' });

    expect(path).toBe(join(s.sessionDir, 'summary.json'));
    expect(mode(path)).toBe(0o600);
    const summary = JSON.parse(readFileSync(path, 'utf8'));
    expect(summary).toMatchObject({
      sessionId: s.sessionId,
      patternName: 'spec-pattern',
      cwd: s.cwd,
      sessionDir: s.sessionDir,
      startedAt: s.startedAt.toISOString(),
      details: { command: 'spec' },
      counts: { total: 3, succeeded: 1, failed: 2, timedOut: 0, cancelled: 0 },
    });
    expect(typeof summary.durationMs).toBe('number');
    expect(Date.parse(summary.endedAt)).toBeGreaterThanOrEqual(Date.parse(summary.startedAt));
    expect(summary.results).toEqual(JSON.parse(JSON.stringify(results)));
    // Without results given, the summary holds every result the session recorded.
    expect(s.summary().results.map((r) => r.processId).sort()).toEqual(['fails', 'ok', 'usage']);
  });

  it("keeps a secret given in one process's own env out of the summary as well as its log", async () => {
    const s = session();
    const secret = `per-call-${randomUUID()}`;
    const leaky = s.createCommand('sh', ['-c', 'echo "token=$MY_SERVICE_TOKEN"'], 'leaky', { env: { MY_SERVICE_TOKEN: secret } });
    const results = await runParallel([leaky]);
    expect(results[0].output).toBe(`token=${secret}\n`);

    await s.writeSummary(results);
    await s.close();

    for (const file of filesUnder(s.sessionDir)) {
      expect({ file, leaked: readFileSync(file, 'utf8').includes(secret) }).toEqual({ file, leaked: false });
    }
    expect(readFileSync(join(s.sessionDir, 'summary.json'), 'utf8')).toContain('token=[REDACTED]');
  });

  it('keeps a secret from the environment, printed by a child, out of the summary and every log', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    const secret = `spec-secret-${randomUUID()}`;
    process.env.ANTHROPIC_API_KEY = secret;
    try {
      const s = session();
      const leaky = s.createProcess(`Use the key ${secret}`, 'leaky', { env: { FAKE_CLAUDE_PRINT_ENV: 'ANTHROPIC_API_KEY' } });
      const shaped = s.createProcess('shaped', 'shaped', { env: { FAKE_CLAUDE_REPLY: 'found sk-ant-api03-abcdefGHIJ_123\n' } });
      s.log(`the key is ${secret}`);

      const results = await runParallel([leaky, shaped]);
      // The in-memory result is the child's output as it was; only what is written is redacted.
      expect(results.find((r) => r.processId === 'leaky')?.output).toContain(secret);

      await s.writeSummary(results);
      await s.close();

      const files = filesUnder(s.sessionDir);
      expect(files.map((f) => f.slice(s.sessionDir.length + 1)).sort()).toEqual(['joblog.tsv', 'leaky.log', 'processes.tsv', 'session.log', 'shaped.log', 'summary.json']);
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        expect({ file, leaked: text.includes(secret) }).toEqual({ file, leaked: false });
        expect({ file, leaked: text.includes('sk-ant-api03') }).toEqual({ file, leaked: false });
      }
      const summary = readFileSync(join(s.sessionDir, 'summary.json'), 'utf8');
      expect(summary).toContain('ANTHROPIC_API_KEY=[REDACTED]');
      expect(readFileSync(join(s.sessionDir, 'leaky.log'), 'utf8')).toContain('stderr | ANTHROPIC_API_KEY=[REDACTED]');
      expect(readFileSync(join(s.sessionDir, 'session.log'), 'utf8')).toContain('the key is [REDACTED]');
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});
