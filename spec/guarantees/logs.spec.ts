/**
 * Guarantee: logs are complete, private and contained.
 *
 * - Complete: 100,000 output lines (`seq 1 100000`) are all in the process log, in order and
 *   followed by the end line, by the time the Promise resolves, both in a session and with a
 *   plain `logDir`.
 * - Private: every log file is created 0600 and every directory 0700 (the session directory,
 *   session.log, each process log, summary.json; a `logDir` and its log).
 * - Contained: hostile process ids (`../x`, `a/b`, `..`, `''`, a NUL byte, `.hidden`, `session`,
 *   5000 characters, ...) given to `session.createCommand` each get a file of their own inside the
 *   session directory; nothing is written outside it and no reserved file is touched.
 *
 * With RXO_LONG_TESTS=1 the 100,000-line runs are repeated with 500,000 lines.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { CommandProcess } from '../../src/runnable/command-process';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import { runParallel } from '../../src/strategies/parallel';
import { tempDirs } from '../helpers';

/** How a log's header shows an id: in double quotes, `"` and `\` escaped, `\n`, `\r`, `\t` by their short names and every other control character as `\xHH`. */
function quoted(id: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${id.replace(/["\\]/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}

const LONG = process.env.RXO_LONG_TESTS === '1';
const LINE_COUNTS = LONG ? [100_000, 500_000] : [100_000];
/** Upper bound for one test: winston writes some tens of thousands of lines a second here. */
const TEST_TIMEOUT_MS = LONG ? 240_000 : 120_000;

const temp = tempDirs('rxo-guarantee-logs-');
afterAll(() => temp.cleanup());

/** The message of each log line, without the timestamp and the level. */
function messages(text: string): string[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/^\S+ \S+\s+/, ''));
}

/** Checks the log holds `stdout | 1` .. `stdout | count` in order, then the end line, last. */
function expectSeqLog(text: string, count: number): void {
  const all = messages(text);
  const stdout = all.filter((message) => message.startsWith('stdout | '));
  expect(stdout.length).toBe(count);
  let wrong = -1;
  for (let i = 0; i < count; i += 1) {
    if (stdout[i] !== `stdout | ${i + 1}`) {
      wrong = i;
      break;
    }
  }
  expect({ firstWrongLine: wrong, text: wrong < 0 ? '' : stdout[wrong] }).toEqual({ firstWrongLine: -1, text: '' });
  expect(all[all.length - 1]).toMatch(/^ended: succeeded \(exit\), exit code 0, \d+\.\d{3} s$/);
}

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
}

describe.each(LINE_COUNTS)('%i output lines', (count) => {
  it('are all in the session process log, then the end line, when run() resolves', async () => {
    const dir = temp.make('seq-session');
    const session = new OrchestratorSession({ patternName: 'seq', workingDir: dir });
    const startedAt = Date.now();
    const result = await session.createCommand('seq', ['1', String(count)], 'seq').run();
    const text = readFileSync(join(session.sessionDir, 'seq.log'), 'utf8');
    const elapsed = Date.now() - startedAt;
    await session.close();
    expect(result.exitCode).toBe(0);
    expectSeqLog(text, count);
    process.stdout.write(`logs: ${count} lines through a session log in ${elapsed} ms\n`);
  }, TEST_TIMEOUT_MS);

  it('are all in the `logDir` log, then the end line, when run() resolves', async () => {
    const dir = temp.make('seq-logdir');
    const logDir = join(dir, 'plain', 'logs');
    const result = await new CommandProcess({ command: 'seq', args: ['1', String(count)], processId: 'seq', logDir }).run();
    expect(result.exitCode).toBe(0);
    expectSeqLog(readFileSync(join(logDir, 'seq.log'), 'utf8'), count);
  }, TEST_TIMEOUT_MS);

  it('are all in the logs of a strategy run when its Promise resolves', async () => {
    const dir = temp.make('seq-strategy');
    const session = new OrchestratorSession({ patternName: 'seq', workingDir: dir });
    const ids = ['seq-a', 'seq-b'];
    const results = await runParallel(ids.map((id) => session.createCommand('seq', ['1', String(count)], id)));
    const texts = ids.map((id) => readFileSync(join(session.sessionDir, `${id}.log`), 'utf8'));
    await session.close();
    expect(results.map((r) => r.exitCode)).toEqual([0, 0]);
    for (const text of texts) expectSeqLog(text, count);
  }, TEST_TIMEOUT_MS);
});

describe('permissions', () => {
  it('creates the session directory 0700 and session.log, every process log and summary.json 0600', async () => {
    const dir = temp.make('modes');
    const session = new OrchestratorSession({ patternName: 'modes', workingDir: dir });
    const results = await runParallel([
      session.createCommand('echo', ['ok'], 'ok'),
      session.createCommand('sh', ['-c', 'echo no >&2; exit 1'], 'failing'),
      session.createCommand('missing-binary-for-modes', [], 'missing'),
    ]);
    await session.writeSummary(results);
    await session.close();

    expect(mode(session.sessionDir)).toBe('0700');
    const files = readdirSync(session.sessionDir).sort();
    expect(files).toEqual(['failing.log', 'joblog.tsv', 'missing.log', 'ok.log', 'processes.tsv', 'session.log', 'summary.json']);
    for (const file of files) expect({ file, mode: mode(join(session.sessionDir, file)) }).toEqual({ file, mode: '0600' });
    // Each directory the session created on the way (.claude/runtime/logs) is private too.
    for (const created of ['.claude', '.claude/runtime', '.claude/runtime/logs']) {
      expect({ created, mode: mode(join(dir, created)) }).toEqual({ created, mode: '0700' });
    }
  });

  it('creates a `logDir` 0700 and its logs 0600', async () => {
    const dir = temp.make('modes-logdir');
    const logDir = join(dir, 'deep', 'er');
    await new CommandProcess({ command: 'echo', args: ['ok'], processId: 'echo', logDir }).run();
    expect(mode(join(dir, 'deep'))).toBe('0700');
    expect(mode(logDir)).toBe('0700');
    expect(mode(join(logDir, 'echo.log'))).toBe('0600');
  });
});

describe('hostile process ids through session.createCommand', () => {
  const IDS: ReadonlyArray<[string, string]> = [
    ['../x', '../x'],
    ['../../../../../../tmp/escape', 'a deep ../ escape'],
    ['a/b', 'a/b'],
    ['a_b', 'a_b (what a/b reduces to)'],
    ['..', '..'],
    ['.', '.'],
    ['', "''"],
    ['a\u0000b', 'a NUL byte'],
    ['.hidden', '.hidden'],
    ['session', 'session'],
    ['summary', 'summary'],
    ['SESSION', 'SESSION'],
    ['session.log', 'session.log'],
    ['/etc/passwd', '/etc/passwd'],
    ['line\nbreak', 'a newline'],
    ['x'.repeat(5000), 'a 5000-character id'],
    ['x'.repeat(4999) + 'y', 'another 5000-character id with the same start'],
    ['日本語', 'unicode'],
  ];

  let sessionDir: string;
  let root: string;
  let tokens: string[];
  let files: string[];
  let results: Awaited<ReturnType<typeof runParallel>>;

  beforeAll(async () => {
    root = temp.make('hostile');
    const session = new OrchestratorSession({ patternName: 'hostile', workingDir: root });
    sessionDir = session.sessionDir;
    tokens = IDS.map(() => randomUUID());
    results = await runParallel(IDS.map(([id], i) => session.createCommand('echo', [tokens[i]], id)));
    await session.writeSummary(results);
    await session.close();
    files = readdirSync(sessionDir);
  });

  it('gives every id a result under its own id', () => {
    expect(results.map((r) => r.processId).sort()).toEqual(IDS.map(([id]) => id).sort());
    for (const result of results) expect(result.exitCode).toBe(0);
  });

  it.each(IDS.map(([id, label], index) => ({ id, label, index })))(
    '$label: one file of its own, inside the session directory, naming the id in its header',
    ({ id, index }) => {
      const holding = files.filter((name) => readFileSync(join(sessionDir, name), 'utf8').includes(`stdout | ${tokens[index]}`));
      expect(holding).toHaveLength(1);
      const path = resolve(sessionDir, holding[0]);
      expect(path.startsWith(sessionDir + sep)).toBe(true);
      expect(holding[0]).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*\.log$/);
      expect(holding[0].length).toBeLessThanOrEqual(255);
      expect(['session.log', 'summary.json']).not.toContain(holding[0]);
      const first = messages(readFileSync(path, 'utf8'))[0];
      // The id, quoted, with every control character escaped (`\x00`, `\x1b`): inert in the log.
      expect(first).toBe(`process ${quoted(id)}`);
    },
  );

  it('writes one file per id and nothing else besides session.log, joblog.tsv, processes.tsv and summary.json, nothing outside', () => {
    expect(files.length).toBe(IDS.length + 4);
    expect(files).toContain('joblog.tsv');
    expect(files).toContain('processes.tsv');
    expect(files).toContain('session.log');
    expect(files).toContain('summary.json');
    // No file holds two ids' output.
    const owners = files.map((name) => tokens.filter((token) => readFileSync(join(sessionDir, name), 'utf8').includes(`stdout | ${token}`)).length);
    expect(owners.filter((n) => n > 1)).toEqual([]);
    // The session directory is the only entry of its parent, and nothing escaped into the working dir.
    expect(readdirSync(resolve(sessionDir, '..'))).toEqual([resolve(sessionDir).split(sep).pop()]);
    expect(readdirSync(root)).toEqual(['.claude']);
    expect(existsSync('/tmp/escape.log')).toBe(false);
    // session.log is still the session's own log.
    const sessionLog = messages(readFileSync(join(sessionDir, 'session.log'), 'utf8'));
    expect(sessionLog[0]).toMatch(/^session hostile_\S+ started/);
    for (const token of tokens) expect(sessionLog.join('\n')).not.toContain(`stdout | ${token}`);
    // No id can forge a line of session.log: every line starts with a timestamp and a level.
    const raw = readFileSync(join(sessionDir, 'session.log'), 'utf8').trimEnd().split('\n');
    expect(raw.filter((line) => !/^\d{4}-\d\d-\d\dT\S+Z (INFO |WARN |ERROR|DEBUG) /.test(line))).toEqual([]);
    JSON.parse(readFileSync(join(sessionDir, 'summary.json'), 'utf8'));
  });
});

describe('log lines cannot be forged', () => {
  const FORGED = '2026-01-01T00:00:00.000Z INFO  stdout | forged';
  const TIMESTAMPED = /^\d{4}-\d\d-\d\dT\S+Z (INFO |WARN |ERROR|DEBUG) /;

  it('by a process id, a command name, an error or a working directory holding a newline: every line of every log is one timestamped entry', async () => {
    const dir = temp.make('forge');
    const session = new OrchestratorSession({ patternName: 'forge', workingDir: dir });
    const results = await runParallel([
      session.createCommand('echo', ['hi'], `id\n${FORGED}`),
      session.createCommand(`missing-binary\n${FORGED}`, [], 'missing'),
      session.createCommand('sh', ['-c', 'echo "one\rtwo" >&2; exit 1'], `cr\r${FORGED}`),
      session.createCommand('echo', ['hi'], 'cwd', { cwd: `${dir}/missing\n${FORGED}` }),
    ]);
    await session.writeSummary(results);
    await session.close();
    expect(results.map((r) => r.exitCode).sort()).toEqual([0, 1, 1, 127]);
    for (const name of readdirSync(session.sessionDir).filter((file) => file.endsWith('.log'))) {
      const lines = readFileSync(join(session.sessionDir, name), 'utf8').trimEnd().split('\n');
      expect({ name, untimestamped: lines.filter((line) => !TIMESTAMPED.test(line)) }).toEqual({ name, untimestamped: [] });
      expect({ name, forged: lines.filter((line) => line.startsWith(FORGED)) }).toEqual({ name, forged: [] });
    }
  });
});
