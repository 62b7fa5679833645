// The CLI's workspaces: `--workspace worktree` runs each process in its own worktree, the human
// summary names each kept branch (rxo/<session id>/<process id>), `--json` results carry the
// workspace, and `--workspace-keep` without `--workspace` is a usage error.
import type { ProcessEvent } from '../../src/process/types';
import type { WorkspaceResult } from '../../src/workspace/workspace-result';
import { describeWithTool, tempDirs } from '../helpers';
import { runCli } from '../cli/helpers';
import { branches, makeRepo, status, worktreePaths } from './git-repo';

const temp = tempDirs('rxo-ws-cli-');
afterAll(() => temp.cleanup());

describeWithTool('git', 'orchestrate --workspace worktree', () => {
  it('parallel: the summary names the kept branch; the clean run left nothing; the repository is untouched', async () => {
    const repo = makeRepo(temp.make());
    const logs = temp.make();
    const outcome = await runCli(['parallel', '--exec', '--workspace', 'worktree', '--no-board', '--log-dir', logs, '--names', 'copier,reader', 'cp src/app.txt shared.txt', 'cat shared.txt'], { cwd: repo });
    expect(outcome.code).toBe(0);
    const session = /rxo\/([^/\s]+)\/copier/.exec(outcome.stdout)?.[1] ?? '';
    expect(session).toMatch(/^cli-parallel_/);
    expect(outcome.stdout).toContain(`Worktrees: 1 kept, 1 removed\n  copier: branch rxo/${session}/copier (1 file changed, +1 -1) in ${repo}.worktrees/${session}/copier\n`);
    expect(branches(repo)).toEqual([`rxo/${session}/copier`, 'main'].sort());
    expect(worktreePaths(repo)).toEqual([repo, `${repo}.worktrees/${session}/copier`]);
    expect(status(repo)).toBe('');
  });

  it('--json: each result event carries its workspace; --workspace-keep alone is a usage error', async () => {
    const repo = makeRepo(temp.make());
    const outcome = await runCli(['run', '--exec', '--workspace', 'worktree', '--workspace-keep', 'never', '--json', '--no-log', 'cp src/app.txt shared.txt'], { cwd: repo });
    expect(outcome.code).toBe(0);
    const events = outcome.stdout.trim().split('\n').map((line) => JSON.parse(line) as ProcessEvent);
    const result = events.find((e) => e.type === 'result');
    const workspace = result?.type === 'result' ? (result.result as WorkspaceResult).workspace : undefined;
    expect(workspace).toMatchObject({ changedFiles: ['shared.txt'], diffStat: { files: 1, insertions: 1, deletions: 1 }, kept: false });
    expect(workspace?.branch).toMatch(/^rxo\/run-[0-9a-z]+-[0-9a-f]{6}\/process_001$/);
    expect(worktreePaths(repo)).toEqual([repo]);
    const alone = await runCli(['run', '--exec', '--workspace-keep', 'never', '--no-log', 'true'], { cwd: repo });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--workspace-keep never needs --workspace worktree');
  });
});
