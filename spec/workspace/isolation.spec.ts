// Worktree isolation with real git and real processes (issue 13 item 2): agents in parallel
// editing the same file in their own worktrees never see each other's edits, each result lists
// its change, the user's repository is untouched, and many worktrees made at once all succeed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { CommandProcess } from '../../src/runnable/command-process';
import { parallel } from '../../src/strategies/parallel';
import { toResults } from '../../src/strategies/results';
import { workspaceOf } from '../../src/workspace/workspace-result';
import type { WorkspaceSpec } from '../../src/process/spec';
import { describeWithTool, fixture, LONG_TESTS, tempDirs } from '../helpers';
import { branches, gitIn, makeRepo, ORIGINAL, status, worktreePaths } from './git-repo';

const temp = tempDirs('rxo-ws-');
afterAll(() => temp.cleanup());

/** A run of edit-and-report.js in a worktree of `repo`. */
const editor = (repo: string, id: string, workspace: WorkspaceSpec, barrier?: { dir: string; count: number }): CommandProcess =>
  new CommandProcess({
    command: process.execPath,
    args: [fixture('edit-and-report.js'), 'shared.txt', `edited by ${id}\n`, ...(barrier ? [barrier.dir, String(barrier.count)] : [])],
    processId: id,
    cwd: repo,
    workspace,
    workspaceSession: 'spec',
  });

const runAll = (runs: CommandProcess[]) => lastValueFrom(from(runs).pipe(parallel({ maxWorkers: runs.length }), toResults(), toArray()));

describeWithTool('git', 'workspaces: one git worktree per run', () => {
  it('4 agents edit the same file at once: each sees only its own edit, each result lists its change, the repository is untouched', async () => {
    const dir = temp.make();
    const repo = makeRepo(dir);
    const ids = ['agent-1', 'agent-2', 'agent-3', 'agent-4'];
    const barrier = { dir: join(dir, 'barrier'), count: ids.length };
    const results = await runAll(ids.map((id) => editor(repo, id, 'worktree', barrier)));
    for (const id of ids) {
      const result = results.find((r) => r.processId === id);
      expect(result).toMatchObject({ exitCode: 0, error: null });
      const seen = JSON.parse(result?.output ?? '{}') as { cwd: string; content: string };
      // Every agent had written before any read (the barrier), yet each read its own text only.
      expect(seen.content).toBe(`edited by ${id}\n`);
      const workspace = workspaceOf(result!);
      expect(workspace).toMatchObject({ branch: `rxo/spec/${id}`, changedFiles: ['shared.txt'], diffStat: { files: 1, insertions: 1, deletions: 1 }, kept: true });
      expect(seen.cwd).toBe(workspace?.path);
      expect(workspace?.base).toBe(gitIn(repo, 'rev-parse', 'HEAD').trim());
      // The change is committed on the run's branch.
      expect(gitIn(repo, 'show', `${workspace?.branch}:shared.txt`)).toBe(`edited by ${id}\n`);
      expect(readFileSync(join(workspace!.path, 'shared.txt'), 'utf8')).toBe(`edited by ${id}\n`);
    }
    expect(readFileSync(join(repo, 'shared.txt'), 'utf8')).toBe(ORIGINAL);
    expect(status(repo)).toBe('');
    expect(worktreePaths(repo)).toHaveLength(5);
    expect(branches(repo)).toEqual(['main', ...ids.map((id) => `rxo/spec/${id}`)]);
  });

  const many = LONG_TESTS ? [10, 20] : [10];
  it.each(many)('%i worktrees made at once all succeed (no lock error), and keep: never leaves `git worktree list` clean', async (count) => {
    const dir = temp.make();
    const repo = makeRepo(dir);
    const ids = Array.from({ length: count }, (_, i) => `run-${i}`);
    const results = await runAll(ids.map((id) => editor(repo, id, { worktree: { keep: 'never' } })));
    const byId = [...results].sort((a, b) => a.processId.localeCompare(b.processId, 'en', { numeric: true }));
    expect(byId.map((r) => [r.processId, r.exitCode, r.error])).toEqual(ids.map((id) => [id, 0, null]));
    for (const result of results) expect(workspaceOf(result)).toMatchObject({ changedFiles: ['shared.txt'], kept: false });
    expect(worktreePaths(repo)).toEqual([repo]);
    expect(branches(repo)).toEqual(['main']);
    expect(existsSync(`${repo}.worktrees`)).toBe(false);
    expect(status(repo)).toBe('');
  });
});
