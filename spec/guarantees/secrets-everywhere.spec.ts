/**
 * Guarantee (issue 10, section 3): no secret reaches a log, the plan, the summary or the terminal,
 * whatever its shape. Each shape that used to slip through is fed through every sink (process
 * logs, session.log, joblog.tsv, plan.json, summary.json, the live lines, the summary table, and
 * `--json --redact`), and no file of the session directory nor the captured stdout/stderr may hold
 * any secret, any line of a multi-line one, or any 6-character piece of either (so no half around a
 * cut survives):
 *
 * - a secret holding `'`, `"` and `\` passed as an argument (it was quoted before redaction);
 * - a secret straddling the 64 KiB cut of a long line;
 * - a secret the 300-character cut of `error` shortens;
 * - a multi-line secret (a PEM-like key) printed line by line;
 * - OPENAI_KEY, DB_PASS, MYSQL_PWD, GH_PAT, SIGNING_KEY, STRIPE_SK and the password of DATABASE_URL;
 * - a per-process `env` secret that is also an argument (plan.json stored it whole);
 * - a key-shaped process id (file names, joblog, plan, summary, live lines, table).
 *
 * `--json` without `--redact` stays byte-exact: it carries the secrets (the positive control).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import { parallel } from '../../src/strategies/parallel';
import { toResults } from '../../src/strategies/results';
import { humanRenderer, redactingRenderer, summaryTable } from '../../src/cli/render';
import { fixture, tempDirs } from '../helpers';
import { destroyRunning, printedLogDir, runCliInProcess, type CliOutcome } from '../cli/helpers';

const temp = tempDirs('rxo-secrets-everywhere-');
afterEach(destroyRunning);
afterAll(() => temp.cleanup());

const SHAPES = fixture('secret-shapes.js');
const rand = (bytes = 24): string => randomBytes(bytes).toString('base64url');

/** Every regular file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The secret, each of its lines, and every 6-character piece of each. */
function needles(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const secret of secrets) {
    for (const part of [secret, ...secret.split('\n')]) {
      if (part.length < 6) continue;
      all.add(part);
      for (let i = 0; i + 6 <= part.length; i += 1) all.add(part.slice(i, i + 6));
    }
  }
  return [...all];
}

/** `[where, piece]` for every piece of a secret found in `texts`. */
function leaks(texts: Record<string, string>, secrets: readonly string[]): string[] {
  const found: string[] = [];
  const pieces = needles(secrets);
  for (const [where, text] of Object.entries(texts)) for (const piece of pieces) if (text.includes(piece)) found.push(`${where}: ${JSON.stringify(piece)}`);
  return found;
}

function sessionTexts(sessionDir: string): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const file of filesUnder(sessionDir)) {
    const name = file.slice(sessionDir.length + 1);
    texts[name] = readFileSync(file, 'latin1') === '' ? '' : readFileSync(file, 'utf8');
    texts[`file name ${name}`] = name;
  }
  return texts;
}

/** Escapes every character for the CLI's `--exec` word splitting, so the argument arrives as it is. */
const word = (text: string): string => text.replace(/[\s\S]/g, '\\$&');

describe('secrets of every shape, through every sink of the CLI', () => {
  const env = {
    API_TOKEN: `q'u"o\\te-${rand(18)}`,
    RXO_SECRET_LONG: rand(30),
    ANTHROPIC_API_KEY: rand(18),
    PEM_PRIVATE_KEY: `-----BEGIN RXO TEST KEY-----\n${rand(36)}\n${rand(36)}\n${rand(12)}\n-----END RXO TEST KEY-----`,
    OPENAI_KEY: rand(),
    DB_PASS: rand(),
    MYSQL_PWD: rand(),
    GH_PAT: rand(),
    SIGNING_KEY: rand(),
    STRIPE_SK: rand(),
    DATABASE_URL: `postgres://app:${rand(12)}@db.example:5432/prod`,
  };
  const password = /:([^:@]+)@/.exec(env.DATABASE_URL)![1];
  const secrets = [...Object.entries(env).filter(([name]) => name !== 'DATABASE_URL').map(([, value]) => value), password];
  const node = word(process.execPath);
  const commands = [
    `${node} ${word(SHAPES)} argv ${word(env.API_TOKEN)} --token=${word(env.API_TOKEN)}`,
    `${node} ${word(SHAPES)} long RXO_SECRET_LONG`,
    `${node} ${word(SHAPES)} error ANTHROPIC_API_KEY`,
    `${node} ${word(SHAPES)} lines PEM_PRIVATE_KEY`,
    `${node} ${word(SHAPES)} env OPENAI_KEY DB_PASS MYSQL_PWD GH_PAT SIGNING_KEY STRIPE_SK DATABASE_URL`,
  ];

  async function run(...flags: string[]): Promise<{ outcome: CliOutcome; sessionDir: string }> {
    const dir = temp.make('cli');
    // The CLI in this process (`cli(argv, io)`, the secrets in its environment and its children's).
    const outcome = await runCliInProcess(['parallel', '--exec', ...flags, '--working-dir', dir, ...commands], { env });
    expect(outcome.code).toBe(1);
    const sessionDir = printedLogDir(`${outcome.stdout}\n${outcome.stderr}`);
    const names = readdirSync(sessionDir).sort();
    expect(names).toEqual(['joblog.tsv', 'plan.json', 'process_001.log', 'process_002.log', 'process_003.log', 'process_004.log', 'process_005.log', 'processes.tsv', 'session.log', 'summary.json']);
    return { outcome, sessionDir };
  }

  it.each([[[] as string[]], [['--quiet']], [['--json', '--redact']], [['--no-board', '--raw']]])('flags %j: no piece of any secret in any file or on stdout/stderr', async (flags) => {
    const { outcome, sessionDir } = await run(...flags);
    const texts: Record<string, string> = { ...sessionTexts(sessionDir), stdout: outcome.stdout, stderr: outcome.stderr };
    expect(leaks(texts, secrets)).toEqual([]);
    // The children did print them: the logs hold [REDACTED] where they were.
    expect(texts['process_005.log']).toContain('stdout | [REDACTED]');
    expect(texts['process_002.log']).toMatch(/stdout \| x+\[REDACTED\]/);
    expect(texts['process_001.log']).toContain('command: ');
    if (!flags.includes('--json')) expect(outcome.stdout).toMatch(/process_003 +1 +\d+\.\d+ s {2}failed: exited with code 1: e+\[RE/);
  });

  it('--json without --redact stays byte-exact: the events carry the secrets (and the files still do not)', async () => {
    const { outcome, sessionDir } = await run('--json');
    // (Booleans: a failure must not print 130 KB of output.)
    expect(outcome.stdout.includes(env.OPENAI_KEY)).toBe(true);
    expect(outcome.stdout.includes(JSON.stringify(env.API_TOKEN).slice(1, -1))).toBe(true);
    expect(leaks(sessionTexts(sessionDir), secrets)).toEqual([]);
  });
});

describe('secrets only the library can place: a per-process env secret in argv, a key-shaped id', () => {
  it('appear in no file, file name, live line or table row', async () => {
    const deployToken = rand();
    const keyId = `sk-ant-api03-${rand(30)}`;
    const session = new OrchestratorSession({ patternName: 'secret-ids', workingDir: temp.make('lib') });
    const jobs = [
      session.createCommand(process.execPath, [SHAPES, 'argv', deployToken], 'deploy', { env: { DEPLOY_TOKEN: deployToken } }),
      session.createCommand(process.execPath, [SHAPES, 'argv', 'plain'], keyId),
      session.createCommand(process.execPath, [SHAPES, 'error', 'DEPLOY_TOKEN'], `${keyId}-fails`, { env: { DEPLOY_TOKEN: deployToken } }),
    ];
    session.plan(jobs, { strategy: 'parallel' });
    let shown = '';
    const out = { write: (text: string) => (shown += text) };
    const renderer = redactingRenderer(humanRenderer(out, out, { color: false, quiet: false }), session.redact);
    const results = await lastValueFrom(from(jobs).pipe(parallel(), tap((event) => renderer.event(event)), toResults(), toArray()));
    shown += summaryTable(results, false, session.redact);
    await session.writeSummary(results);
    await session.close();
    // The secrets travelled: the results (in memory) hold them.
    expect(results.map((r) => r.processId)).toContain(keyId);
    expect(results.find((r) => r.processId === 'deploy')?.output).toContain(deployToken);
    const texts: Record<string, string> = { ...sessionTexts(session.sessionDir), shown };
    expect(Object.keys(texts).filter((name) => name.endsWith('.log')).length).toBeGreaterThanOrEqual(4);
    expect(leaks(texts, [deployToken, keyId])).toEqual([]);
    expect(shown).toContain('[[REDACTED]]');
    const plan = JSON.parse(texts['plan.json']) as { phases: Array<{ processes: Array<{ processId: string; secretsRemoved?: boolean }> }> };
    expect(plan.phases[0].processes.map((p) => p.secretsRemoved)).toEqual([true, true, true]);
  });
});
