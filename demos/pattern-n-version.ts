// N-version programming: three versions of one change, each in its own git worktree (a temporary
// repository here), a check run in each, and a reviewer that selects one by id; the verdict
// names the branch that holds it. On the simulated agent, a script makes each version edit a file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { nVersion } from 'rx-orchestration';
import { claudeCommand } from './agent-command';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rxo-n-version-demo-'));
  const repo = join(dir, 'repo');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo]);
  git('config', 'user.name', 'Demo');
  git('config', 'user.email', 'demo@example.invalid');
  writeFileSync(join(repo, 'greeting.txt'), 'hello\n');
  git('add', '.');
  git('commit', '--quiet', '-m', 'initial');
  // The simulated agent edits files only when scripted: each profile writes its own version.
  const script = join(dir, 'script.json');
  writeFileSync(script, JSON.stringify([
    { match: 'select the best' },
    { match: 'smallest change', writeFiles: { 'greeting.txt': 'hello, world\n' } },
    { match: 'most robust', writeFiles: { 'greeting.txt': 'Hello, world!\n', 'README.md': '# Greeting\n' } },
    { match: 'clearest', writeFiles: { 'greeting.txt': 'hello world\n' } },
  ]));
  try {
    const last = await lastValueFrom(nVersion('Make greeting.txt greet the world', {
      n: 3,
      check: 'grep -qi world greeting.txt',
      agent: { command: claudeCommand, cwd: repo, env: { SIM_AGENT_SCRIPT: script } },
    }));
    if (last.type !== 'verdict') throw new Error('no verdict');
    const { verdict } = last;
    for (const [id, c] of Object.entries(verdict.candidates)) console.log(`${id} on ${c.branch}: ${c.changedFiles.join(', ')} (check exit ${c.checkExitCode})`);
    console.log(verdict.decided ? `Selected ${verdict.selected} on ${verdict.branch}: ${verdict.rationale}` : `Nothing selected: ${verdict.reason}`);
    if (verdict.branch) console.log(`greeting.txt there: ${git('show', `${verdict.branch}:greeting.txt`).trim()}`);
    process.exitCode = verdict.decided ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
