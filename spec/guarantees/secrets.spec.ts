/**
 * Guarantee: secrets never reach a file. With `ANTHROPIC_API_KEY` set in the host's environment
 * to a random `sk-ant-api03-...` value, and a child printing that value and another random
 * `sk-ant-...` key (one it was given as an argument, in no environment variable) on stdout and
 * stderr, neither secret appears in any file of the session directory (session.log, every process
 * log, summary.json), on every way a run ends: success, failure (exit 1, the key then also in the
 * error), timeout, and a spawn error of a missing binary whose name or arguments hold the keys.
 * The same through the CLI (`--exec`), reading every file under its log directory.
 *
 * The child really printed the secrets: each result (in memory) holds them, and the logs hold
 * `[REDACTED]` in their place. With RXO_LONG_TESTS=1 every path runs with several fresh keys.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import type { ProcessResult } from '../../src/process/types';
import { runParallel } from '../../src/strategies/parallel';
import { fixture, tempDirs } from '../helpers';
import { destroyRunning, printedLogDir, runCli } from '../cli/helpers';

const LONG = process.env.RXO_LONG_TESTS === '1';
const ROUNDS = LONG ? 5 : 1;

const temp = tempDirs('rxo-guarantee-secrets-');
const savedKey = process.env.ANTHROPIC_API_KEY;

afterEach(destroyRunning);
afterAll(() => {
  if (savedKey === undefined) delete process.env.ANTHROPIC_API_KEY;
  else process.env.ANTHROPIC_API_KEY = savedKey;
  temp.cleanup();
});

/** A random key of the given prefix: letters, digits, `-` and `_`. */
function randomKey(prefix: string): string {
  return `${prefix}${randomBytes(48).toString('base64url')}`;
}

/** Every regular file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...filesUnder(path));
    else files.push(path);
  }
  return files;
}

/** The files under `dir` that contain any of `secrets` (whole, or any 16-character piece of one). */
function filesHolding(dir: string, secrets: readonly string[]): string[] {
  const pieces = secrets.flatMap((secret) => {
    const body = secret.replace(/^sk-ant-(api03-)?/, '');
    const parts = [secret];
    for (let i = 0; i + 16 <= body.length; i += 8) parts.push(body.slice(i, i + 16));
    return parts;
  });
  return filesUnder(dir).filter((file) => {
    const text = readFileSync(file, 'latin1');
    return pieces.some((piece) => text.includes(piece));
  });
}

const SECRETS = fixture('guarantee2-secrets.js');

describe.each(Array.from({ length: ROUNDS }, (_, round) => ({ round: round + 1 })))('round $round', () => {
  let hostKey: string;
  let printedKey: string;

  beforeEach(() => {
    hostKey = randomKey('sk-ant-api03-');
    printedKey = randomKey('sk-ant-');
    process.env.ANTHROPIC_API_KEY = hostKey;
  });

  /** Runs the processes `make` builds in a fresh session; returns the session dir and results. */
  async function inSession(
    make: (session: OrchestratorSession) => Parameters<typeof runParallel>[0],
  ): Promise<{ logDir: string; results: ProcessResult[] }> {
    const session = new OrchestratorSession({ patternName: 'secrets', workingDir: temp.make('session') });
    const results = await runParallel(make(session));
    await session.writeSummary(results);
    session.log(`done with ${results.length} result(s)`);
    await session.close();
    return { logDir: session.sessionDir, results };
  }

  function expectNoSecretIn(logDir: string): void {
    const files = filesUnder(logDir);
    expect(files.map((file) => file.slice(logDir.length + 1)).sort()).toEqual(expect.arrayContaining(['session.log', 'summary.json']));
    expect(filesHolding(logDir, [hostKey, printedKey])).toEqual([]);
  }

  it('success (exit 0): no file of the session directory holds either key', async () => {
    const { logDir, results } = await inSession((s) => [s.createCommand(process.execPath, [SECRETS, printedKey, 'ok'], 'ok')]);
    expect(results[0].exitCode).toBe(0);
    // The child did print both keys, and the log holds [REDACTED] in their place.
    expect(results[0].output).toContain(`key: ${printedKey}\nhost key: ${hostKey}\n`);
    expect(results[0].stderr).toContain(`key: ${printedKey}\nhost key: ${hostKey}\n`);
    const log = readFileSync(join(logDir, 'ok.log'), 'utf8');
    expect(log).toContain('stdout | key: [REDACTED]\n');
    expect(log).toContain('stderr | host key: [REDACTED]\n');
    expectNoSecretIn(logDir);
  });

  it('failure (exit 1, the key in the error): no file holds either key', async () => {
    const { logDir, results } = await inSession((s) => [s.createCommand(process.execPath, [SECRETS, printedKey, 'fail'], 'fail')]);
    expect(results[0].exitCode).toBe(1);
    // The child printed it (stderr holds it); `error` quotes that line redacted, before its cut (issue 10).
    expect(results[0].stderr).toContain(printedKey);
    expect(results[0].error).toBe('exited with code 1: both [REDACTED] [REDACTED] in one line');
    expectNoSecretIn(logDir);
  });

  it('timeout: no file holds either key', async () => {
    const { logDir, results } = await inSession((s) => [
      s.createCommand(process.execPath, [SECRETS, printedKey, 'hang'], 'hang', { timeout: 1, killGraceMs: 1000 }),
    ]);
    expect(results[0]).toMatchObject({ exitCode: -1, timedOut: true });
    expect(results[0].output).toContain(printedKey);
    expectNoSecretIn(logDir);
  });

  it('spawn error of a missing binary whose name and arguments hold the keys: no file holds either key', async () => {
    const { logDir, results } = await inSession((s) => [
      s.createCommand(`missing-${printedKey}`, [printedKey, hostKey], 'missing-name'),
      s.createCommand(`/nonexistent/${hostKey}/bin`, [`--key=${printedKey}`], 'missing-path'),
      s.createCommand('missing-binary-of-secrets', [hostKey, `x${printedKey}x`], 'missing-args'),
    ]);
    expect(results.map((r) => r.exitCode)).toEqual([127, 127, 127]);
    expect(results.map((r) => r.reason)).toEqual(['spawn-error', 'spawn-error', 'spawn-error']);
    expect(results.find((r) => r.processId === 'missing-name')!.error).toContain(printedKey);
    expectNoSecretIn(logDir);
  });

  it('through the CLI (--exec: success, failure, timeout, missing binary): no file under the log dir holds either key', async () => {
    const dir = temp.make('cli');
    const logDir = join(dir, 'cli-logs');
    const outcome = await runCli(
      [
        'parallel',
        '--exec',
        '--timeout',
        '2',
        '--log-dir',
        logDir,
        '--working-dir',
        dir,
        `'${process.execPath}' '${SECRETS}' ${printedKey} ok`,
        `'${process.execPath}' '${SECRETS}' ${printedKey} fail`,
        `'${process.execPath}' '${SECRETS}' ${printedKey} hang`,
        `missing-${printedKey} ${hostKey}`,
      ],
      { cwd: dir, env: { ANTHROPIC_API_KEY: hostKey } },
    );
    expect(outcome.code).toBe(1);
    // The keys did travel, and the live output redacts them too (issue 10).
    expect(outcome.stdout).toContain('key: [REDACTED]');
    expect(outcome.stdout).not.toContain(printedKey);
    expect(outcome.stdout).not.toContain(hostKey);
    const sessionDir = printedLogDir(outcome.stdout);
    expect(sessionDir.startsWith(logDir)).toBe(true);
    const files = filesUnder(logDir).map((file) => file.slice(sessionDir.length + 1)).sort();
    expect(files).toEqual(['joblog.tsv', 'plan.json', 'process_001.log', 'process_002.log', 'process_003.log', 'process_004.log', 'processes.tsv', 'session.log', 'summary.json']);
    const summary = JSON.parse(readFileSync(join(sessionDir, 'summary.json'), 'utf8')) as { results: ProcessResult[] };
    expect(summary.results.map((r) => [r.processId, r.exitCode]).sort()).toEqual([
      ['process_001', 0],
      ['process_002', 1],
      ['process_003', -1],
      ['process_004', 127],
    ]);
    expect(filesHolding(logDir, [hostKey, printedKey])).toEqual([]);
  });
});
