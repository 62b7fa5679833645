// A worktree that cannot be made gives a clear failed result before the program starts, and
// leaves nothing behind (no worktree, no branch, no directory, the repository untouched); bad
// `workspace` options are a TypeError naming the field at construction.
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandProcess } from '../../src/runnable/command-process';
import { ClaudeProcess } from '../../src/runnable/claude-process';
import type { WorkspaceSpec } from '../../src/process/spec';
import { collect, describeWithTool, fixture, resultOf, tempDirs } from '../helpers';
import { branches, gitIn, makeRepo, status, worktreePaths } from './git-repo';

const temp = tempDirs('rxo-ws-err-');
afterAll(() => temp.cleanup());

const editor = (cwd: string, workspace: WorkspaceSpec, processId = 'editor'): CommandProcess =>
  new CommandProcess({ command: process.execPath, args: [fixture('edit-and-report.js'), 'shared.txt', 'edited\n'], processId, cwd, workspace, workspaceSession: 'spec' });

/** Runs it and checks that it never started and left the repository as it was. */
async function refused(cwd: string, workspace: WorkspaceSpec, processId?: string) {
  const events = await collect(editor(cwd, workspace, processId).events());
  expect(events.map((e) => e.type)).toEqual(['result']);
  const result = resultOf(events);
  expect(result).toMatchObject({ reason: 'spawn-error', pid: null, output: '', cancelled: false });
  expect(result.exitCode).not.toBe(0);
  expect((result as { workspace?: unknown }).workspace).toBeUndefined();
  return result;
}

function untouched(repo: string, before: string): void {
  expect(worktreePaths(repo)).toEqual([repo]);
  expect(branches(repo)).toEqual(['main']);
  expect(status(repo)).toBe(before);
  expect(existsSync(`${repo}.worktrees`)).toBe(false);
}

describeWithTool('git', 'workspace errors: a clear result before the program starts, nothing left behind', () => {
  it('a working directory outside any git repository', async () => {
    const dir = temp.make('plain');
    const result = await refused(dir, 'worktree');
    expect(result.exitCode).toBe(1);
    expect(result.error).toMatch(new RegExp(`^workspace: ${dir} is not in a git repository`));
    expect(readdirSync(dir)).toEqual([]); // the program never wrote shared.txt
  });

  it('a working directory that does not exist', async () => {
    const missing = join(temp.make(), 'nowhere');
    expect((await refused(missing, 'worktree')).error).toBe(`workspace: the working directory ${missing} does not exist`);
  });

  it('a dirty base: uncommitted changes to tracked files (untracked files do not count)', async () => {
    const repo = makeRepo(temp.make());
    writeFileSync(join(repo, 'untracked.txt'), 'not part of HEAD\n');
    expect(await editor(repo, { worktree: { keep: 'never' } }).run()).toMatchObject({ exitCode: 0, workspace: { changedFiles: ['shared.txt'] } });
    writeFileSync(join(repo, 'src', 'app.txt'), 'changed, not committed\n');
    const before = status(repo);
    const result = await refused(repo, 'worktree');
    expect(result.error).toMatch(/^workspace: .*repo has uncommitted changes to 1 tracked file\(s\) \(src\/app.txt\); the worktree starts from HEAD/);
    untouched(repo, before);
    // Staged counts too; with a named base the working directory's state does not matter.
    gitIn(repo, 'add', 'src/app.txt');
    expect((await refused(repo, 'worktree')).error).toMatch(/uncommitted changes to 1 tracked file/);
    const named = await editor(repo, { worktree: { base: 'main', keep: 'never' } }).run();
    expect(named).toMatchObject({ exitCode: 0, workspace: { changedFiles: ['shared.txt'], kept: false } });
    untouched(repo, status(repo));
  });

  it('a missing git: exit code 127, as a missing program', async () => {
    const repo = makeRepo(temp.make());
    const result = await refused(repo, { worktree: { git: join(temp.make(), 'no-such-git') } });
    expect(result.exitCode).toBe(127);
    expect(result.error).toMatch(/^cannot run .*no-such-git: it was not found \(is git installed and on PATH\?\)$/);
    untouched(repo, '');
  });

  it('a branch name git refuses, one starting with "-", and one that exists', async () => {
    const repo = makeRepo(temp.make());
    expect((await refused(repo, { worktree: { branch: 'bad..name' } })).error).toMatch(/^workspace: "bad\.\.name" is not a valid branch name \(fatal: 'bad\.\.name' is not a valid branch name/);
    expect((await refused(repo, { worktree: { branch: '-f' } })).error).toBe('workspace: "-f" is not a valid branch name (it starts with "-")');
    expect((await refused(repo, 'worktree', 'has space')).error).toMatch(/"rxo\/spec\/has space" is not a valid branch name/);
    untouched(repo, '');
    gitIn(repo, 'branch', 'taken');
    expect((await refused(repo, { worktree: { branch: 'taken' } })).error).toMatch(/^workspace: branch taken already exists in /);
    expect(branches(repo)).toEqual(['main', 'taken']);
    expect(worktreePaths(repo)).toEqual([repo]);
  });

  it("an error quoting a secret of the child's environment has it redacted", async () => {
    const repo = makeRepo(temp.make());
    const secret = 'sk-ant-do-not-show-4242';
    const run = new CommandProcess({ command: 'true', processId: 'p', cwd: repo, env: { MY_API_KEY: secret }, workspace: { worktree: { branch: `bad..${secret}` } } });
    const result = await run.run();
    expect(result).toMatchObject({ reason: 'spawn-error', exitCode: 1 });
    expect(result.error).toMatch(/is not a valid branch name/);
    expect(result.error).not.toContain(secret);
  });

  it('a base that is not a commit, and a repository without commits', async () => {
    const repo = makeRepo(temp.make());
    expect((await refused(repo, { worktree: { base: 'no-such-ref' } })).error).toMatch(/^workspace\.worktree\.base: "no-such-ref" is not a commit in /);
    expect((await refused(repo, { worktree: { base: '--all' } })).error).toBe('workspace.worktree.base: "--all" is not a commit (it starts with "-")');
    untouched(repo, '');
    const empty = join(temp.make(), 'empty');
    mkdirSync(empty);
    gitIn(empty, 'init', '--quiet');
    expect((await refused(empty, 'worktree')).error).toMatch(/HEAD is not a commit \(a repository without commits\?\)/);
  });

  it('a symlink planted where the worktrees directory goes: refused, nothing made where it points', async () => {
    const repo = makeRepo(temp.make());
    const elsewhere = temp.make('elsewhere');
    symlinkSync(elsewhere, `${repo}.worktrees`);
    expect((await refused(repo, 'worktree')).error).toBe(`workspace: ${repo}.worktrees is a symbolic link; refusing to make worktrees there (remove it, or name a root: workspace.worktree.root)`);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(worktreePaths(repo)).toEqual([repo]);
    expect(branches(repo)).toEqual(['main']);
  });

  it('a process id that would climb out of the worktrees directory', async () => {
    const repo = makeRepo(temp.make());
    expect((await refused(repo, 'worktree', '..')).error).toMatch(/^process id "\.\." cannot name a worktree/);
    untouched(repo, '');
  });

  it('bad workspace options are a TypeError naming the field and the value', () => {
    const build = (workspace: unknown) => () => new ClaudeProcess({ prompt: 'x', workspace: workspace as WorkspaceSpec });
    expect(build('git')).toThrow("workspace must be 'worktree' or { worktree: { base?, branch?, keep?, patch?, root?, git? } }, received");
    expect(build({ worktree: { keep: 'sometimes' } })).toThrow(/^workspace\.worktree\.keep must be one of always, on-change, never, received/);
    expect(build({ worktree: { patch: 'yes' } })).toThrow(/^workspace\.worktree\.patch must be a boolean/);
    expect(build({ worktree: { branch: 42 } })).toThrow(/^workspace\.worktree\.branch must be/);
    expect(build({ worktree: { bogus: 1 } })).toThrow(/^workspace\.worktree must be an object with only base, branch, keep, patch, root, git/);
    expect(() => new CommandProcess({ command: 'true', workspace: { worktree: {} }, workspaceSession: '' })).toThrow(/workspaceSession/);
  });
});

