// Worktree agents: three runs edit the same file at once, each in its own git worktree and
// branch; the repository itself is untouched, and each result says what its run changed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandProcess, runParallel } from 'rx-orchestration';
import { workspaceOf } from 'rx-orchestration/toolkit';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rxo-demo-'));
  const repo = join(dir, 'repo');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  try {
    execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo]);
    git('config', 'user.name', 'Demo');
    git('config', 'user.email', 'demo@example.invalid');
    writeFileSync(join(repo, 'GREETING'), 'hello\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'initial');

    const agents = ['english', 'french', 'german'].map((language, i) =>
      new CommandProcess({
        command: 'sh',
        args: ['-c', `echo ${['hello', 'bonjour', 'hallo'][i]} > GREETING && cat GREETING`],
        processId: language,
        cwd: repo,
        workspace: { worktree: { keep: 'on-change', patch: true } },
      }),
    );
    const results = await runParallel(agents, { maxWorkers: 3 });
    for (const result of results) {
      const workspace = workspaceOf(result);
      console.log(`${result.processId}: saw "${result.output.trim()}", branch ${workspace?.branch}, changed ${workspace?.changedFiles.join(', ') || 'nothing'}, kept: ${workspace?.kept}`);
    }
    console.log(`the repository still says: ${readFileSync(join(repo, 'GREETING'), 'utf8').trim()}`);
    console.log(git('worktree', 'list').trim());
    process.exitCode = results.every((r) => r.exitCode === 0 && workspaceOf(r) !== undefined) ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
