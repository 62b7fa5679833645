/**
 * A flag given to a command it does not apply to is a usage error naming where it applies (exit 2,
 * nothing run), never silently ignored; words after `--` are positionals.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirs } from '../helpers';
import { runCliInProcess } from './helpers';

describe('flags given to a command they do not apply to', () => {
  const dirs = tempDirs('rxo-misplaced-');
  afterAll(() => dirs.cleanup());

  it.each([
    [['parallel', '--exec', '--batch-size', '3', 'true'], '--batch-size applies to batched, not parallel'],
    [['debate', 'Which?', '--exec'], '--exec applies to run, parallel, sequential, fallback and batched, not debate'],
    [['panel', 'Which?', '--workspace', 'worktree'], '--workspace applies to run, parallel, sequential, fallback and batched, not panel'],
    [['run', '--exec', '--no-pass-output', 'true'], '--pass-output applies to sequential and batched, not run'],
    [['sequential', '--exec', '-j', '2', 'true'], '--max-workers applies to parallel and batched, not sequential'],
  ])('%j is refused', async (args, message) => {
    const dir = dirs.make();
    const outcome = await runCliInProcess(args, { cwd: dir });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(message);
    expect(existsSync(join(dir, '.claude'))).toBe(false); // nothing ran, no session
  });

  it('takes words after -- as prompts, not flags', async () => {
    const dir = dirs.make();
    const outcome = await runCliInProcess(['parallel', '--exec', '--no-log', '--working-dir', dir, '--', 'echo --batch-size']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('--batch-size');
  });
});
