// N-version on the simulated agent with real git: each version in its own worktree, a check in
// each, a reviewer that selects by id; the verdict names the branch; a failing reviewer selects
// nothing and every candidate stays on its branch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nVersion } from '../../src/patterns/n-version';
import { describeWithTool, LONG_TESTS, tempDirs } from '../helpers';
import { branches, gitIn, makeRepo, ORIGINAL } from '../workspace/git-repo';
import { phasesStarted, runToVerdict, simulated } from './helpers';

const temp = tempDirs('rxo-nversion-');
afterAll(() => temp.cleanup());
/** Heavier cases run with RXO_LONG_TESTS=1 (CI) only. */
const longIt = LONG_TESTS ? it : it.skip;
const PROFILES = ['PROFILE-ONE', 'PROFILE-TWO', 'PROFILE-THREE'];
const scores = { correctness: 9, simplicity: 7 };

describeWithTool('git', 'nVersion', () => {
  it('versions in their own worktrees, a check in each, the reviewer selects by id; the verdict names the branch', async () => {
    const dir = temp.make('ok');
    const repo = makeRepo(dir);
    const agent = { ...simulated(dir, [
      // The reviewer's prompt quotes each version's profile: its entry comes first.
      { match: 'select the best', structuredOutput: { selected: 'version-2', scores: { 'version-1': { correctness: 2, simplicity: 9 }, 'version-2': scores }, rationale: 'its check passes' } },
      { match: 'PROFILE-ONE', writeFiles: { 'shared.txt': 'one\n' } },
      { match: 'PROFILE-TWO', writeFiles: { 'shared.txt': 'two\n', 'new.txt': 'added\n' } },
      { match: 'PROFILE-THREE', text: 'I changed nothing.\n' },
    ]), cwd: repo };
    const { events, verdict } = await runToVerdict(nVersion('Change shared.txt', {
      n: 3, profiles: PROFILES, criteria: ['correctness', 'simplicity'], check: 'grep -q two shared.txt && echo CHECK-OK', agent, session: { patternName: 'n-version', cwd: repo, logRoot: join(dir, 'logs') },
    }));
    expect(phasesStarted(events)).toEqual(['0:implement', '1:check', '2:review']);
    expect(verdict).toMatchObject({ decided: true, reason: null, selected: 'version-2', rationale: 'its check passes', scores: { 'version-2': scores } });
    expect(verdict.branch).toMatch(/^rxo\/n-version[^/]*\/version-2$/);
    expect(Object.keys(verdict.candidates).sort()).toEqual(['version-1', 'version-2']);
    expect(verdict.candidates['version-1']).toMatchObject({ checkExitCode: 1, changedFiles: ['shared.txt'] });
    expect(verdict.candidates['version-2']).toMatchObject({ checkExitCode: 0, changedFiles: ['new.txt', 'shared.txt'] });
    expect(verdict.rejected).toEqual({ 'version-3': 'it changed nothing' });
    // Isolation: the repository itself is untouched; each branch holds its own version.
    expect(readFileSync(join(repo, 'shared.txt'), 'utf8')).toBe(ORIGINAL);
    expect(gitIn(repo, 'show', `${verdict.branch}:shared.txt`)).toBe('two\n');
    expect(gitIn(repo, 'show', `${verdict.candidates['version-1'].branch}:shared.txt`)).toBe('one\n');
    // The reviewer saw each candidate by id: its diff and its check's output.
    const reviewerStart = events.find((e) => e.type === 'phase-start' && e.phase.name === 'review');
    expect(reviewerStart).toBeDefined();
    const summary = events.find((e) => e.type === 'summary');
    if (summary?.type !== 'summary') throw new Error('no summary');
    const plan = JSON.parse(readFileSync(join(summary.sessionDir as string, 'plan.json'), 'utf8'));
    const reviewer = plan.phases[2].processes[0].spec;
    expect(reviewer.prompt).toContain('<candidate process_id="version-2">');
    expect(reviewer.prompt).toContain('+two');
    expect(reviewer.prompt).toContain('CHECK-OK');
    expect(reviewer.jsonSchema.properties.selected.enum).toEqual(['version-1', 'version-2']);
  });

  longIt('the reviewer failing: nothing is selected, the verdict says so, every candidate stays on its branch', async () => {
    const dir = temp.make('reviewer-fails');
    const repo = makeRepo(dir);
    const agent = { ...simulated(dir, [
      { match: 'select the best', structuredOutput: { selected: 'version-9', scores: {}, rationale: 'x' } },
      { match: 'PROFILE-ONE', writeFiles: { 'shared.txt': 'one\n' } },
      { match: 'PROFILE-TWO', crash: true },
    ]), cwd: repo };
    const { verdict } = await runToVerdict(nVersion('Change shared.txt', { n: 2, profiles: PROFILES, agent }));
    expect(verdict).toMatchObject({ decided: false, selected: null, branch: null });
    expect(verdict.reason).toMatch(/^the reviewer failed: Claude's structured output does not match jsonSchema: \/selected must be equal to one of the allowed values.*; nothing was selected \(candidates: version-1 on rxo\/.*\/version-1\)$/);
    expect(Object.keys(verdict.failures).sort()).toEqual(['reviewer', 'version-2']);
    expect(verdict.rejected['version-2']).toMatch(/exit|crash/i);
    expect(branches(repo).filter((b) => b.endsWith('/version-1'))).toHaveLength(1);
  });

  it('refuses bad options, naming them', () => {
    expect(() => nVersion('t', { n: 0 })).toThrow(/n must be an integer from 1 to 20, received 0/);
    expect(() => nVersion('t', { worktree: { keep: 'never' } })).toThrow(/worktree.keep must be 'on-change' or 'always'/);
    expect(() => nVersion('t', { profiles: [] })).toThrow(/profiles must be a non-empty list/);
  });
});
