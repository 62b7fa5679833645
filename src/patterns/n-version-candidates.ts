/**
 * The versions of an n-version run as the reviewer and the verdict see them: each by process id,
 * with its profile, its worktree (branch, path, changed files), and its check.
 */
import { defaults } from '../defaults';
import type { DiffStat } from '../workspace/workspace-result';
import { workspaceOf } from '../workspace/workspace-result';
import { outputTail } from './check-command';
import type { PatternContext } from './pattern-context';
import { quoted } from './prompts';

export interface Candidate {
  readonly processId: string;
  readonly profile: string;
  readonly branch: string;
  /** The worktree (present when it was kept). */
  readonly path: string;
  readonly changedFiles: readonly string[];
  readonly diffStat: DiffStat;
  /** The check's exit code in this worktree; null when there was no check (or it did not run). */
  readonly checkExitCode: number | null;
}

export const checkId = (versionId: string): string => `${versionId}-check`;

/** The versions that succeeded and left changes on a kept worktree, by id. */
export function candidatesOf(context: PatternContext, ids: readonly string[], profiles: ReadonlyMap<string, string>): Candidate[] {
  return ids.flatMap((id) => {
    const result = context.results.get(id);
    const workspace = result && result.exitCode === 0 ? workspaceOf(result) : undefined;
    if (!workspace || !workspace.kept || workspace.changedFiles.length === 0) return [];
    const check = context.results.get(checkId(id));
    return [{
      processId: id, profile: profiles.get(id) ?? '', branch: workspace.branch, path: workspace.path,
      changedFiles: workspace.changedFiles, diffStat: workspace.diffStat, checkExitCode: check ? check.exitCode : null,
    }];
  });
}

/** Why a version is not a candidate. */
export function notCandidate(context: PatternContext, id: string): string {
  const result = context.results.get(id);
  if (!result || result.exitCode !== 0) return context.failureOf(id);
  const workspace = workspaceOf(result);
  if (!workspace) return 'it ran without a worktree';
  if (workspace.error) return `its worktree: ${workspace.error}`;
  if (workspace.changedFiles.length === 0) return 'it changed nothing';
  return 'its worktree was not kept';
}

/** One candidate quoted for the reviewer: profile, branch, files, check, the agent's summary and the diff. */
export function quoteCandidate(context: PatternContext, candidate: Candidate): string {
  const result = context.results.get(candidate.processId);
  const patch = (result && workspaceOf(result)?.patch) ?? '';
  const cut = patch.length > defaults.patternPatchChars ? `${patch.slice(0, defaults.patternPatchChars)}\n[... ${patch.length - defaults.patternPatchChars} more characters of diff]` : patch;
  const check = context.results.get(checkId(candidate.processId));
  const lines = [
    `Approach: ${candidate.profile}`,
    `Branch: ${candidate.branch}`,
    `Changed files (${candidate.diffStat.insertions} insertions, ${candidate.diffStat.deletions} deletions): ${candidate.changedFiles.join(', ')}`,
    check ? `Check: exit code ${check.exitCode}\n<check_output>\n${outputTail(`${check.output}${check.stderr}`, defaults.patternCheckOutputChars)}\n</check_output>` : 'Check: none',
    `Summary by the implementer:\n${(result?.output ?? '').trim()}`,
    `Diff:\n${cut}`,
  ];
  return quoted('candidate', candidate.processId, lines.join('\n'));
}
