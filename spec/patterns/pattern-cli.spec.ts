// `orchestrate debate|cascade|panel` as a user runs them (dist/cli/main.js, the simulated agent):
// --json ends with the verdict event, human output ends with the verdict in words, one session
// holds the pattern, bad flags are usage errors, and Ctrl-C in the middle stops every process.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT, destroyRunning, logRoot, onlySessionDir, runCli, startCli } from '../cli/helpers';
import { isDead, LONG_TESTS, tempDirs, waitForDeath } from '../helpers';

const temp = tempDirs('rxo-pattern-cli-');
afterAll(() => temp.cleanup());
/** Heavier cases run with RXO_LONG_TESTS=1 (CI) only. */
const longIt = LONG_TESTS ? it : it.skip;
afterEach(() => destroyRunning());

function script(dir: string, entries: readonly object[]): Record<string, string> {
  const file = join(dir, 'script.json');
  writeFileSync(file, JSON.stringify(entries));
  return { SIM_AGENT_SCRIPT: file };
}

describe('orchestrate <pattern>', () => {
  it('debate --json: process events, then the verdict event last; the session records phases and verdict', async () => {
    const cwd = temp.make('debate');
    const env = script(cwd, [{ match: 'You moderate a debate', structuredOutput: { decision: 'spaces', confidence: 0.6, keyArguments: [{ processId: 'against-round-1', point: 'uniform' }], dissent: '' } }]);
    const out = await runCli(['debate', 'Tabs or spaces?', '--positions', 'for,against', '--rounds', '1', '--command', AGENT, '--json'], { cwd, env });
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const last = lines[lines.length - 1];
    expect(last).toMatchObject({ v: 1, type: 'verdict', pattern: 'debate', verdict: { decided: true, decision: 'spaces', keyArguments: [{ processId: 'against-round-1', position: 'against' }] } });
    expect(lines.filter((l) => l.type === 'verdict')).toHaveLength(1);
    expect(new Set(lines.slice(0, -1).map((l) => l.processId))).toEqual(new Set(['for-round-1', 'against-round-1', 'moderator']));
    const session = onlySessionDir(logRoot(cwd));
    const summary = JSON.parse(readFileSync(join(session, 'summary.json'), 'utf8'));
    expect(summary.details).toMatchObject({ pattern: 'debate', verdict: { decision: 'spaces' } });
    const plan = JSON.parse(readFileSync(join(session, 'plan.json'), 'utf8'));
    expect(plan.patternName).toBe('debate');
    expect(plan.phases.map((p: { title: string }) => p.title)).toEqual(['round 1', 'moderation']);
  });

  longIt('cascade, human output: a heading per level, the table, then the verdict in words; no decision exits 1', async () => {
    const cwd = temp.make('cascade');
    const env = script(cwd, [{ match: 'Summarise', structuredOutput: { answer: 'short', confidence: 0.2, missing: 'all of it' } }]);
    const out = await runCli(['cascade', 'Summarise', '--models', 'sim-haiku,sim-sonnet', '--command', AGENT, '--no-log'], { cwd, env });
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('== level 1: sim-haiku');
    expect(out.stdout).toContain('== level 2: sim-sonnet');
    expect(out.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      'Verdict (cascade): no decision.',
      'Why: no level passed its gate: level 1 (sim-haiku) assessed its confidence at 0.2 (below the threshold 0.7); missing: all of it; level 2 (sim-sonnet) assessed its confidence at 0.2 (below the threshold 0.7); missing: all of it',
    ]);
  });

  longIt('panel with a role prompt from a file; the verdict in words names each vote by id', async () => {
    const cwd = temp.make('panel');
    const role = join(cwd, 'sec.txt');
    writeFileSync(role, 'you only read the logs.');
    const env = script(cwd, [{ match: 'You chair', structuredOutput: { consensus: 'ship', votes: { 'expert-security': { agrees: true, note: 'logs fine' } }, dissent: '' } }]);
    const out = await runCli(['panel', 'Ship it?', '--experts', 'security', '--prompt-file', `role:security=${role}`, '--command', AGENT, '--no-log'], { cwd, env });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('you only read the logs.');
    expect(out.stdout.trimEnd().split('\n').slice(-3)).toEqual(['Verdict (panel): ship', 'Votes:', '  - expert-security: agrees (logs fine)']);
  });

  longIt('bad flags are usage errors naming the flag, before anything runs', async () => {
    const cwd = temp.make('usage');
    const wrong = await runCli(['debate', 'q', '--models', 'a,b', '--command', AGENT], { cwd });
    expect(wrong).toMatchObject({ code: 2, stdout: '' });
    expect(wrong.stderr).toContain('--models applies to cascade, not debate');
    const missing = await runCli(['panel', 'q', '--prompt-file', 'expert=/no/such/file', '--command', AGENT], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--prompt-file expert: cannot read "/no/such/file" (ENOENT)');
    const role = await runCli(['debate', 'q', '--prompt-file', `judge=${join(cwd, '..')}`, '--command', AGENT], { cwd });
    expect(role.code).toBe(2);
    const single = await runCli(['debate', 'q', '--positions', 'alone', '--command', AGENT], { cwd });
    expect(single.stderr).toContain('positions must be a list of at least 2');
  });

  it('Ctrl-C in the middle of a pattern: every process stops, the verdict says stopped, exit 130', async () => {
    const cwd = temp.make('sigint');
    const env = script(cwd, [{ match: 'expert', delayMs: 1000 }]);
    const cli = startCli(['panel', 'Ship it?', '--experts', 'a,b', '--command', AGENT, '--no-log'], { cwd, env });
    await cli.waitFor((c) => (c.stdout.match(/started \(pid \d+\)/g) ?? []).length === 2, 'both experts started');
    const pids = [...cli.stdout.matchAll(/started \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    cli.child.kill('SIGINT');
    const out = await cli.done;
    expect(out.code).toBe(130);
    await waitForDeath(pids);
    expect(pids.every(isDead)).toBe(true);
    expect(out.stdout).toContain('Why: stopped (SIGINT): no expert reported findings');
    expect(out.stdout).not.toContain('[aggregator] started');
  });
});
