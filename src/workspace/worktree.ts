/** A worktree made for a run: what the workspace layer needs to sum it up and remove it. */
export interface Worktree {
  readonly path: string;
  /** Where the run works: the same place in the worktree as its working directory in the repository. */
  readonly cwd: string;
  readonly branch: string;
  /** The base commit's full hash. */
  readonly base: string;
  /** The repository's top-level directory. */
  readonly repository: string;
  /** Its common git directory: what the per-repository queue is keyed by. */
  readonly commonDir: string;
  /** The directory holding the worktree that this layer may remove once empty (the default root). */
  readonly ownedRoot: string | undefined;
  readonly git: string;
}

