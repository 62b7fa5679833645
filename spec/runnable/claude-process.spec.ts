// ClaudeProcess against a fake claude executable (spec/fixtures/strategy-fake-claude.js): the exact
// command line, prompts that must never reach a shell, prompts too large for argv (or holding NUL)
// on stdin byte-exact, the child's environment and working directory, a missing executable.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClaudeProcess, type ClaudeProcessOptions } from '../../src/runnable/claude-process';
import { runParallel } from '../../src/strategies/parallel';
import { tempDirs } from '../helpers';
import { installFakeClaude, readRecord } from '../strategies/helpers';
import { claudeRunOf } from '../../src/agents/claude/run-info';

const temp = tempDirs();
let dir: string;
let fake: string;
let counter = 0;

beforeAll(() => {
  dir = temp.make();
  fake = installFakeClaude(dir);
});
afterAll(() => temp.cleanup());

/** A ClaudeProcess running the fake claude, with its own record file. */
function claude(options: Partial<ClaudeProcessOptions> & { prompt: string }): { process: ClaudeProcess; record: string } {
  const record = join(dir, `record-${++counter}.json`);
  const process = new ClaudeProcess({
    command: fake,
    processId: `run-${counter}`,
    ...options,
    env: { FAKE_CLAUDE_RECORD: record, ...options.env },
  });
  return { process, record };
}

const HEAD = ['--dangerously-skip-permissions', '-p'];
/** The flags the default output format (stream-json) adds after the prompt and the model. */
const STREAM = ['--output-format', 'stream-json', '--verbose', '--include-partial-messages'];

describe('ClaudeProcess command line', () => {
  it('is --dangerously-skip-permissions -p <prompt>, then --model <m>, then the output format, then extraArgs', async () => {
    const { process, record } = claude({ prompt: 'Analyze this code', model: 'claude-3-opus', extraArgs: ['--add-dir', 'x'] });
    const result = await process.run();
    expect(result).toMatchObject({ exitCode: 0, output: 'fake reply\n', error: null });
    expect(readRecord(record).argv).toEqual([...HEAD, 'Analyze this code', '--model', 'claude-3-opus', ...STREAM, '--add-dir', 'x']);
  });

  it('with outputFormat text is exactly the original command line: no output format flag', async () => {
    const { process, record } = claude({ prompt: 'Analyze this code', model: 'claude-3-opus', outputFormat: 'text', extraArgs: ['--output-format', 'text'] });
    const result = await process.run();
    expect(result).toMatchObject({ exitCode: 0, output: 'fake reply\n', error: null });
    expect(claudeRunOf(result)).toBeUndefined();
    expect(readRecord(record).argv).toEqual([...HEAD, 'Analyze this code', '--model', 'claude-3-opus', '--output-format', 'text']);
  });

  it('without a model passes no --model', async () => {
    const { process, record } = claude({ prompt: 'hello' });
    await process.run();
    expect(readRecord(record).argv).toEqual([...HEAD, 'hello', ...STREAM]);
  });

  it('maps every Claude option onto its flag, tool lists as one comma-separated argument', async () => {
    const { process, record } = claude({
      prompt: 'all options', model: 'm', outputFormat: 'json', permissionMode: 'acceptEdits', fallbackModel: 'f',
      maxTurns: 3, maxBudgetUsd: 0.5, appendSystemPrompt: 'Be brief.', allowedTools: ['Read', 'Bash(git log:*)'],
      disallowedTools: ['Write'], sessionId: '0e0c1d4e-7d1b-4c3a-9a51-3d5b8c0f1a2b', resume: 'earlier', extraArgs: ['--debug'],
    });
    await process.run();
    expect(readRecord(record).argv).toEqual([
      '--permission-mode', 'acceptEdits', '-p', 'all options', '--model', 'm', '--output-format', 'json',
      '--fallback-model', 'f', '--max-turns', '3', '--max-budget-usd', '0.5', '--append-system-prompt', 'Be brief.',
      '--allowedTools', 'Read,Bash(git log:*)', '--disallowedTools', 'Write',
      '--session-id', '0e0c1d4e-7d1b-4c3a-9a51-3d5b8c0f1a2b', '--resume', 'earlier', '--debug',
    ]);
  });

  it('puts a prompt starting with "-" after "--", where no option parser takes it for an option', async () => {
    const { process, record } = claude({ prompt: '--help me with -x', model: 'm', extraArgs: ['--debug'] });
    await process.run();
    expect(readRecord(record).argv).toEqual([...HEAD, '--model', 'm', ...STREAM, '--debug', '--', '--help me with -x']);
  });

  it('passes shell metacharacters byte-exact and runs none of them', async () => {
    const marker = join(tmpdir(), `x-${randomUUID()}`);
    const prompts = [
      `"; touch ${marker}; "`,
      `'; touch ${marker}; '`,
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `ok && touch ${marker}`,
      `ok | touch ${marker} > ${marker}`,
      `first line\nsecond; touch ${marker}\n$HOME * ? ~ \\ \r\n\ttab`,
    ];
    try {
      const runs = prompts.map((prompt) => claude({ prompt }));
      const results = await runParallel(runs.map((r) => r.process), { maxWorkers: 4 });
      expect(results.every((r) => r.exitCode === 0)).toBe(true);
      runs.forEach(({ record }, i) => expect(readRecord(record).argv).toEqual([...HEAD, prompts[i], ...STREAM]));
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(marker, { force: true });
    }
  });
});

describe('ClaudeProcess prompts on stdin', () => {
  it('sends a prompt of exactly 131071 bytes as an argument, and one byte more on stdin', async () => {
    const fits = claude({ prompt: 'a'.repeat(131071) });
    const over = claude({ prompt: 'a'.repeat(131072) });
    const [fitsResult, overResult] = await Promise.all([fits.process.run(), over.process.run()]);
    expect(fitsResult.exitCode).toBe(0);
    expect(overResult.exitCode).toBe(0);
    const fitsRecord = readRecord(fits.record);
    expect(fitsRecord.argv).toEqual([...HEAD, 'a'.repeat(131071), ...STREAM]);
    expect(fitsRecord.stdin.length).toBe(0);
    const overRecord = readRecord(over.record);
    expect(overRecord.argv).toEqual([...HEAD, ...STREAM]);
    expect(overRecord.stdin.equals(Buffer.from('a'.repeat(131072)))).toBe(true);
  });

  it.each([
    ['200 KB of multi-byte text', 200 * 1024],
    ['3 MB of multi-byte text', 3 * 1024 * 1024],
  ])('sends %s on stdin byte-exact, with no E2BIG', async (_name, size) => {
    const unit = 'héllo € 𝄞 日本 "$(x)" `y` && \n';
    const prompt = unit.repeat(Math.ceil(size / Buffer.byteLength(unit)));
    const { process, record } = claude({ prompt, model: 'm', extraArgs: ['--debug'] });
    const result = await process.run();
    expect(result).toMatchObject({ exitCode: 0, output: 'fake reply\n', error: null });
    const seen = readRecord(record);
    expect(seen.argv).toEqual([...HEAD, '--model', 'm', ...STREAM, '--debug']);
    expect(seen.stdin.length).toBe(Buffer.byteLength(prompt));
    expect(seen.stdin.equals(Buffer.from(prompt))).toBe(true);
  });

  it('in terminal mode also sends a large prompt on stdin byte-exact and the command line unchanged', async () => {
    const prompt = 'terminal € prompt\n'.repeat(12_000);
    const { process, record } = claude({ prompt, model: 'm', terminal: true });
    const result = await process.run();
    expect(result).toMatchObject({ exitCode: 0, output: 'fake reply\n' });
    const seen = readRecord(record);
    expect(seen.argv).toEqual([...HEAD, '--model', 'm', ...STREAM]);
    expect(seen.stdin.equals(Buffer.from(prompt))).toBe(true);
  });

  it('sends a prompt holding a NUL byte on stdin', async () => {
    const prompt = 'before\0after';
    const { process, record } = claude({ prompt });
    expect((await process.run()).exitCode).toBe(0);
    const seen = readRecord(record);
    expect(seen.argv).toEqual([...HEAD, ...STREAM]);
    expect(seen.stdin.equals(Buffer.from(prompt))).toBe(true);
  });
});

describe('ClaudeProcess environment and working directory', () => {
  it('removes CLAUDECODE from the child environment and passes everything else through', async () => {
    const saved = { CLAUDECODE: process.env.CLAUDECODE, SPEC_HOST_VAR: process.env.SPEC_HOST_VAR };
    process.env.CLAUDECODE = '1';
    process.env.SPEC_HOST_VAR = 'from the host';
    try {
      const fromHost = claude({ prompt: 'x', env: { SPEC_OPTION_VAR: 'from the options' } });
      const fromOptions = claude({ prompt: 'x', env: { CLAUDECODE: '1' } });
      await Promise.all([fromHost.process.run(), fromOptions.process.run()]);
      const host = readRecord(fromHost.record);
      expect(host.hasClaudecode).toBe(false);
      expect(host.env).toEqual({ SPEC_HOST_VAR: 'from the host', SPEC_OPTION_VAR: 'from the options' });
      expect(readRecord(fromOptions.record).hasClaudecode).toBe(false);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('runs the child in workingDir (the seed\'s name for cwd) or cwd; both, when they differ, are a TypeError', async () => {
    const work = temp.make();
    const other = temp.make();
    const inWorkingDir = claude({ prompt: 'x', workingDir: work });
    const inCwd = claude({ prompt: 'x', cwd: other });
    const inBoth = claude({ prompt: 'x', workingDir: work, cwd: work });
    await Promise.all([inWorkingDir.process.run(), inCwd.process.run(), inBoth.process.run()]);
    expect(readRecord(inWorkingDir.record).cwd).toBe(realpathSync(work));
    expect(readRecord(inCwd.record).cwd).toBe(realpathSync(other));
    expect(readRecord(inBoth.record).cwd).toBe(realpathSync(work));
    expect(inWorkingDir.process.spec().cwd).toBe(work);
    expect(() => new ClaudeProcess({ prompt: 'x', workingDir: work, cwd: other })).toThrow(TypeError);
    expect(() => new ClaudeProcess({ prompt: 'x', workingDir: work, cwd: other })).toThrow(`workingDir and cwd name the same option; give one (received ${JSON.stringify(work)} and ${JSON.stringify(other)})`);
  });
});

describe('ClaudeProcess failures', () => {
  it('a missing command gives exitCode 127 and a clear error without spawning', async () => {
    const byPath = new ClaudeProcess({ prompt: 'x', command: join(dir, 'no-such-claude') });
    const byName = new ClaudeProcess({ prompt: 'x', command: `claude-not-installed-${randomUUID()}` });
    const [pathResult, nameResult] = await Promise.all([byPath.run(), byName.run()]);
    expect(pathResult).toMatchObject({ exitCode: 127, reason: 'spawn-error', pid: null });
    expect(pathResult.error).toMatch(/command not found: .*no-such-claude/);
    expect(nameResult).toMatchObject({ exitCode: 127, reason: 'spawn-error', pid: null });
    expect(nameResult.error).toMatch(/command not found: claude-not-installed-.* \(searched PATH\)/);
  });

  it('reports the fake claude failing as a failed result with its exit code', async () => {
    const { process } = claude({ prompt: 'x', env: { FAKE_CLAUDE_EXIT: '2' } });
    const result = await process.run();
    expect(result).toMatchObject({ exitCode: 2, reason: 'exit', output: 'fake reply\n' });
    expect(result.error).toBe('exited with code 2');
  });

  it('rejects bad options with a TypeError naming the value', () => {
    expect(() => new ClaudeProcess({ prompt: 42 as never })).toThrow(/prompt must be a non-empty string, received 42 \(number\)/);
    expect(() => new ClaudeProcess({ prompt: 'x', model: '' })).toThrow(TypeError);
    expect(() => new ClaudeProcess({ prompt: 'x', extraArgs: [1] as never })).toThrow(/extraArgs must be an array of strings/);
    expect(() => new ClaudeProcess({ prompt: 'x', workingDir: 5 as never })).toThrow(/^workingDir must be a non-empty string, received 5 \(number\)$/);
  });
});

describe("ClaudeProcess: the seed's contract (log_dir, working_dir, stream_output, timeout)", () => {
  it('new ClaudeProcess({ prompt, processId, workingDir, logDir, model, streamOutput, timeout }) runs, mirrors and logs', async () => {
    const work = temp.make();
    const logs = join(temp.make(), 'logs');
    const record = join(work, 'record.json');
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => written.push(String(chunk)) > 0) as typeof process.stdout.write;
    let result;
    try {
      result = await new ClaudeProcess({
        prompt: 'seed prompt', processId: 'seed', workingDir: work, logDir: logs, model: 'm', streamOutput: true, timeout: 60,
        command: fake, env: { FAKE_CLAUDE_RECORD: record },
      }).run();
    } finally {
      process.stdout.write = write;
    }
    expect(result).toMatchObject({ exitCode: 0, output: 'fake reply\n' });
    expect(readRecord(record).cwd).toBe(realpathSync(work));
    expect(written.join('')).toContain('[seed] fake reply\n');
    const log = readFileSync(join(logs, 'seed.log'), 'utf8');
    expect(log).toContain('seed prompt');
    expect(log).toContain('fake reply');
  });
});
