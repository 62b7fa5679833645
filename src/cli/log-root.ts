/**
 * The default log root (`<working-dir>/.claude/runtime/logs`): when the CLI's session creates it,
 * the CLI puts a `.gitignore` holding `*` in it, so the session logs never show in `git status`.
 * A log root that already existed is left as it is (its owner decides what git sees). The root is
 * created by the session (with its checks: no symlinks, trusted owner); the file is created new
 * (`wx`: never through a symlink, never over an existing file).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaults } from '../index';

/** Call before the session opens; the returned function, after: it ignores the root if the session created it. */
export function ignoreNewLogRoot(workingDir: string): () => void {
  const root = resolve(workingDir, defaults.logRoot);
  if (existsSync(root)) return () => undefined;
  return () => {
    try {
      writeFileSync(join(root, '.gitignore'), '# Session logs of orchestrate (rx-orchestration)\n*\n', { flag: 'wx', mode: 0o644 });
    } catch {
      // Not worth failing the run over: git merely shows the logs.
    }
  };
}
