/**
 * The `workspace` option: its check (a TypeError naming the field and the value, at construction)
 * and its settings with the defaults filled in. Whether a branch name is valid is git's call
 * (`git check-ref-format`), made when the run starts.
 */
import { defaults } from '../defaults';
import type { WorkspaceKeep, WorkspaceSpec, WorktreeSpec } from '../process/spec';
import { checkBoolean, checkString, invalidOption } from '../validate';

export const WORKSPACE_KEEPS: readonly WorkspaceKeep[] = ['always', 'on-change', 'never'];

const WORKTREE_KEYS = ['base', 'branch', 'keep', 'patch', 'root', 'git'];

/** The settings of a run's worktree, defaults filled in (`branch` undefined: the default name). */
export interface WorktreeSettings {
  readonly base: string;
  readonly branch: string | undefined;
  readonly keep: WorkspaceKeep;
  readonly patch: boolean;
  readonly root: string | undefined;
  readonly git: string;
}

/** Checks a `workspace` option; throws a TypeError naming what is wrong. */
export function checkWorkspace(value: unknown): asserts value is WorkspaceSpec | undefined {
  if (value === undefined || value === 'worktree') return;
  const shape = "'worktree' or { worktree: { base?, branch?, keep?, patch?, root?, git? } }";
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidOption('workspace', shape, value);
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'worktree') throw invalidOption('workspace', shape, value);
  const worktree = (value as { worktree: unknown }).worktree;
  if (typeof worktree !== 'object' || worktree === null || Array.isArray(worktree)) throw invalidOption('workspace.worktree', 'an object', worktree);
  const unknown = Object.keys(worktree).filter((key) => !WORKTREE_KEYS.includes(key));
  if (unknown.length > 0) throw invalidOption('workspace.worktree', `an object with only ${WORKTREE_KEYS.join(', ')}`, Object.keys(worktree));
  const fields = worktree as WorktreeSpec;
  for (const key of ['base', 'branch', 'root', 'git'] as const) {
    if (fields[key] !== undefined) checkString(`workspace.worktree.${key}`, fields[key]);
  }
  if (fields.keep !== undefined && !WORKSPACE_KEEPS.includes(fields.keep)) {
    throw invalidOption('workspace.worktree.keep', `one of ${WORKSPACE_KEEPS.join(', ')}`, fields.keep);
  }
  checkBoolean('workspace.worktree.patch', fields.patch);
}

/** The settings a `workspace` option asks for. */
export function worktreeSettings(spec: WorkspaceSpec): WorktreeSettings {
  const fields: WorktreeSpec = spec === 'worktree' ? {} : spec.worktree;
  return {
    base: fields.base ?? 'HEAD',
    branch: fields.branch,
    keep: fields.keep ?? defaults.workspaceKeep,
    patch: fields.patch ?? false,
    root: fields.root,
    git: fields.git ?? defaults.gitCommand,
  };
}

/** A copy of a `workspace` option (a spec shares nothing with the process). */
export function copyWorkspace(spec: WorkspaceSpec): WorkspaceSpec {
  return spec === 'worktree' ? spec : { worktree: { ...spec.worktree } };
}
