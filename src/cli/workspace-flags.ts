/**
 * The CLI's workspaces (issue 13): `--workspace worktree` and `--workspace-keep` as the specs'
 * `workspace` option, their check, and the lines under the summary naming each kept branch.
 */
import type { ProcessResult, WorkspaceSpec } from '../index';
import { inert, workspaceOf } from '../toolkit';

/** The flags as typed (undefined when not given). */
export interface WorkspaceFlags {
  readonly workspace?: string;
  readonly workspaceKeep?: string;
}

/** `--workspace-keep` means nothing without `--workspace worktree`: said, not ignored. */
export function checkWorkspaceFlags(flags: WorkspaceFlags): void {
  if (flags.workspaceKeep !== undefined && flags.workspace === undefined) {
    throw new TypeError(`--workspace-keep ${flags.workspaceKeep} needs --workspace worktree`);
  }
}

/** The `workspace` option of every process the flags describe; undefined without `--workspace`. */
export function workspaceSpecOf(flags: WorkspaceFlags): WorkspaceSpec | undefined {
  if (flags.workspace !== 'worktree') return undefined;
  if (flags.workspaceKeep === undefined) return 'worktree';
  return { worktree: { keep: flags.workspaceKeep as 'always' | 'on-change' | 'never' } };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Under the summary: how many worktrees were kept and removed, then one line per kept one
 * (process, branch, changes, directory); '' when no run had a workspace.
 */
export function workspaceLines(results: readonly ProcessResult[]): string {
  const runs = results.flatMap((result) => {
    const workspace = workspaceOf(result);
    return workspace ? [{ processId: result.processId, workspace }] : [];
  });
  if (runs.length === 0) return '';
  const kept = runs.filter((run) => run.workspace.kept);
  const lines = [`Worktrees: ${kept.length} kept, ${runs.length - kept.length} removed`];
  for (const { processId, workspace } of kept) {
    const { files, insertions, deletions } = workspace.diffStat;
    const changes = files === 0 ? 'no changes' : `${plural(files, 'file')} changed, +${insertions} -${deletions}`;
    lines.push(`  ${inert(processId)}: branch ${inert(workspace.branch)} (${changes}) in ${inert(workspace.path)}`);
  }
  for (const { processId, workspace } of runs) {
    if (workspace.error) lines.push(`  ${inert(processId)}: ${inert(workspace.error)}`);
  }
  return `${lines.join('\n')}\n`;
}
