// Keep policies, the patch, branch names with and without a session, cleanup after an
// unsubscribe, specs as data, a working directory below the top level, and git's locks held by
// another process: real git in temporary repositories, real fixture processes.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { CommandProcess } from '../../src/runnable/command-process';
import { fromSpec } from '../../src/runnable/from-spec';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import type { WorkspaceSpec } from '../../src/process/spec';
import { workspaceOf } from '../../src/workspace/workspace-result';
import { ClaudeProcess } from '../../src/runnable/claude-process';
import { isClaudeEvent } from '../../src/agents/claude/events';
import { collect, describeWithTool, fixture, resultOf, tempDirs, waitFor } from '../helpers';

const AGENT = join(__dirname, '..', '..', 'dist', 'testing', 'simulated-agent.js');
import { branches, gitIn, makeRepo, ORIGINAL, status, worktreePaths } from './git-repo';

const temp = tempDirs('rxo-ws-keep-');
afterAll(() => temp.cleanup());

const edit = (cwd: string, workspace: WorkspaceSpec, processId = 'editor', file = 'shared.txt'): CommandProcess =>
  new CommandProcess({ command: process.execPath, args: [fixture('edit-and-report.js'), file, 'edited\n'], processId, cwd, workspace, workspaceSession: 'spec' });
const look = (cwd: string, workspace: WorkspaceSpec, processId = 'reader'): CommandProcess =>
  new CommandProcess({ command: 'cat', args: ['shared.txt'], processId, cwd, workspace, workspaceSession: 'spec' });

describeWithTool('git', 'workspace keep policies and lifecycle', () => {
  it('on-change (the default): a run that changed files keeps its worktree and branch; a clean run leaves nothing', async () => {
    const repo = makeRepo(temp.make());
    // The repository's hooks never run for the run's commit (none of them: pre-commit, post-commit).
    const marker = join(temp.make(), 'hook-ran');
    for (const hook of ['pre-commit', 'post-commit']) {
      writeFileSync(join(repo, '.git', 'hooks', hook), `#!/bin/sh\necho ${hook} >> '${marker}'\n`, { mode: 0o755 });
    }
    const changed = await edit(repo, 'worktree').run();
    expect(existsSync(marker)).toBe(false);
    const clean = await look(repo, 'worktree').run();
    expect(clean).toMatchObject({ exitCode: 0, output: ORIGINAL });
    expect(workspaceOf(clean)).toMatchObject({ branch: 'rxo/spec/reader', changedFiles: [], diffStat: { files: 0, insertions: 0, deletions: 0 }, kept: false });
    expect(workspaceOf(clean)?.head).toBe(workspaceOf(clean)?.base);
    expect(workspaceOf(changed)).toMatchObject({ branch: 'rxo/spec/editor', changedFiles: ['shared.txt'], kept: true });
    expect(workspaceOf(changed)?.patch).toBeUndefined();
    expect(worktreePaths(repo)).toEqual([repo, workspaceOf(changed)?.path]);
    expect(branches(repo)).toEqual(['main', 'rxo/spec/editor']);
    expect(gitIn(repo, 'log', '-1', '--format=%s%n%an', 'rxo/spec/editor')).toBe('rxo: editor\nSpec\n');
  });

  it('always keeps a clean run; never removes a changed one but still reports its changes and patch', async () => {
    const repo = makeRepo(temp.make());
    const clean = await look(repo, { worktree: { keep: 'always' } }).run();
    expect(workspaceOf(clean)).toMatchObject({ changedFiles: [], kept: true });
    const gone = await edit(repo, { worktree: { keep: 'never', patch: true } }).run();
    const workspace = workspaceOf(gone);
    expect(workspace).toMatchObject({ changedFiles: ['shared.txt'], diffStat: { files: 1, insertions: 1, deletions: 1 }, kept: false });
    expect(workspace?.patch).toContain('--- a/shared.txt\n+++ b/shared.txt\n@@ -1 +1 @@\n-original\n+edited\n');
    // The patch applies to the base: the change can be had back though the branch is gone.
    const patchFile = join(temp.make(), 'x.patch');
    writeFileSync(patchFile, workspace?.patch ?? '');
    gitIn(repo, 'apply', '--check', patchFile);
    expect(worktreePaths(repo)).toEqual([repo, workspaceOf(clean)?.path]);
    expect(branches(repo)).toEqual(['main', 'rxo/spec/reader']);
    expect(status(repo)).toBe('');
  });

  it('a repository that names no committer gets a neutral one for the run\'s commit', async () => {
    const repo = makeRepo(temp.make());
    gitIn(repo, 'config', '--unset', 'user.name');
    gitIn(repo, 'config', '--unset', 'user.email');
    const saved = { global: process.env.GIT_CONFIG_GLOBAL, system: process.env.GIT_CONFIG_NOSYSTEM };
    process.env.GIT_CONFIG_GLOBAL = '/dev/null'; // the host's own identity must not be the one used
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    try {
      const result = await edit(repo, 'worktree', 'anonymous').run();
      expect(workspaceOf(result)).toMatchObject({ changedFiles: ['shared.txt'], kept: true });
      expect(gitIn(repo, 'log', '-1', '--format=%an <%ae>', 'rxo/spec/anonymous')).toBe('rx-orchestration <rx-orchestration@localhost>\n');
    } finally {
      for (const [key, value] of [['GIT_CONFIG_GLOBAL', saved.global], ['GIT_CONFIG_NOSYSTEM', saved.system]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('a session names branches rxo/<session id>/<process id>; without one each run gets a fresh run id', async () => {
    const repo = makeRepo(temp.make());
    const session = new OrchestratorSession({ workingDir: repo, logRoot: temp.make(), patternName: 'ws' });
    try {
      const run = session.createCommand(process.execPath, [fixture('edit-and-report.js'), 'shared.txt', 'x\n'], 'fix', { workspace: 'worktree' });
      expect(workspaceOf(await run.run())?.branch).toBe(`rxo/${session.sessionId}/fix`);
    } finally {
      await session.close();
    }
    const alone = new CommandProcess({ command: 'cat', args: ['shared.txt'], processId: 'solo', cwd: repo, workspace: 'worktree' });
    const [first, second] = [workspaceOf(await alone.run())?.branch, workspaceOf(await alone.run())?.branch];
    expect(first).toMatch(/^rxo\/run-[0-9a-z]+-[0-9a-f]{6}\/solo$/);
    expect(second).toMatch(/^rxo\/run-[0-9a-z]+-[0-9a-f]{6}\/solo$/);
    expect(second).not.toBe(first);
    expect(branches(repo)).toEqual(['main', `rxo/${session.sessionId}/fix`]); // the clean solo runs left nothing
  });

  it('a spec carries the workspace and builds the same run again; a working directory below the top level maps into the worktree', async () => {
    const repo = makeRepo(temp.make());
    const original = edit(join(repo, 'src'), { worktree: { keep: 'never' } }, 'sub', 'app.txt');
    const spec = JSON.parse(JSON.stringify(original.spec()));
    expect(spec.workspace).toEqual({ worktree: { keep: 'never' } });
    const result = await fromSpec(spec, { sessionId: 'spec' }).run();
    const seen = JSON.parse(result.output) as { cwd: string };
    expect(workspaceOf(result)).toMatchObject({ branch: 'rxo/spec/sub', changedFiles: ['src/app.txt'], kept: false });
    expect(seen.cwd).toBe(join(workspaceOf(result)?.path ?? '', 'src'));
    expect(readFileSync(join(repo, 'src', 'app.txt'), 'utf8')).toBe('app\n');
  });

  it('a retried run keeps one worktree for all its attempts; a Claude run works in its worktree too', async () => {
    const repo = makeRepo(temp.make());
    const flaky = new CommandProcess({ command: 'sh', args: ['-c', 'echo again >> shared.txt; exit 1'], processId: 'flaky', cwd: repo, workspace: 'worktree', workspaceSession: 'spec', retry: { count: 1, delayMs: 0 } });
    const result = await flaky.run();
    expect(result.exitCode).toBe(1);
    expect(workspaceOf(result)).toMatchObject({ changedFiles: ['shared.txt'], diffStat: { insertions: 2, deletions: 0 }, kept: true });
    expect(readFileSync(join(workspaceOf(result)?.path ?? '', 'shared.txt'), 'utf8')).toBe(`${ORIGINAL}again\nagain\n`);
    const agent = new ClaudeProcess({ prompt: 'Look around', processId: 'claude', command: AGENT, cwd: repo, env: { SIM_AGENT_DELAY_MS: '0' }, workspace: 'worktree', workspaceSession: 'spec' });
    const events = await collect(agent.events());
    const claude = resultOf(events);
    const init = events.find(isClaudeEvent)?.event;
    expect(claude.exitCode).toBe(0);
    expect(workspaceOf(claude)).toMatchObject({ branch: 'rxo/spec/claude', changedFiles: [], kept: false });
    expect(init).toMatchObject({ kind: 'init', cwd: workspaceOf(claude)?.path });
  });

  it('a cancelled run still sums up its worktree (its partial change kept on the branch); a run aborted before it starts makes none', async () => {
    const repo = makeRepo(temp.make());
    const sleeper = new CommandProcess({ command: 'sh', args: ['-c', 'echo partial > shared.txt; exec sleep 30'], processId: 'sleeper', cwd: repo, workspace: 'worktree', workspaceSession: 'spec', killGraceMs: 500 });
    const controller = new AbortController();
    const pending = sleeper.run({ signal: controller.signal });
    await waitFor(() => worktreePaths(repo).length === 2, 'the worktree was made');
    const path = worktreePaths(repo)[1];
    await waitFor(() => { try { return readFileSync(join(path, 'shared.txt'), 'utf8') === 'partial\n'; } catch { return false; } }, 'the run wrote');
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ cancelled: true, reason: 'cancelled' });
    expect(workspaceOf(result)).toMatchObject({ changedFiles: ['shared.txt'], kept: true });
    const aborted = new AbortController();
    aborted.abort();
    const never = await look(repo, 'worktree', 'never').run({ signal: aborted.signal });
    expect(never).toMatchObject({ reason: 'not-started', cancelled: true });
    expect(workspaceOf(never)).toBeUndefined();
    expect(branches(repo)).toEqual(['main', 'rxo/spec/sleeper']);
  });

  it('an unsubscribe mid-run still sums up and cleans the worktree (keep: on-change, nothing changed)', async () => {
    const repo = makeRepo(temp.make());
    const sleeper = new CommandProcess({ command: 'sleep', args: ['30'], processId: 'sleeper', cwd: repo, workspace: 'worktree', workspaceSession: 'spec', killGraceMs: 500 });
    const subscription = sleeper.events().subscribe();
    await waitFor(() => worktreePaths(repo).length === 2, 'the worktree was made');
    subscription.unsubscribe();
    await waitFor(() => worktreePaths(repo).length === 1 && branches(repo).length === 1, 'the worktree and branch were removed', 10_000);
  });

  it('a lock another process holds is waited out: the worktree is made once the lock goes', async () => {
    const repo = makeRepo(temp.make());
    const lockDir = join(repo, '.git', 'refs', 'heads', 'rxo', 'spec');
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(join(lockDir, 'locked.lock'), '');
    const run = edit(repo, { worktree: { keep: 'never' } }, 'locked').events();
    const result = firstValueFrom(run.pipe(filter((e) => e.type === 'result')));
    // git meets the lock (the checks before it take well under 600 ms); the retries wait
    // (50 ms, 100 ms, ... doubling, 3 s in all) until it is gone. Without them: a failed result.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(worktreePaths(repo)).toEqual([repo]);
    rmSync(join(lockDir, 'locked.lock'));
    const removedAt = Date.now();
    const event = await result;
    expect(event.type === 'result' && event.result).toMatchObject({ exitCode: 0, error: null, workspace: { changedFiles: ['shared.txt'], kept: false } });
    expect(event.type === 'result' && event.result.startedAt).toBeGreaterThanOrEqual(removedAt);
  });
});
