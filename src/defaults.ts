/**
 * Every default of the library in one place, read by the library and the CLI alike.
 */
export const defaults = {
  /** Milliseconds between SIGTERM and SIGKILL when a process group is stopped. */
  killGraceMs: 5000,
  /** Milliseconds to wait, after the process exited, for descendants still holding its pipes. */
  exitGraceMs: 1000,
  /** End processes still left in the group after the main process exited (daemons, MCP servers). */
  killLeftovers: true,
  /** Characters of each stream (stdout, stderr) a result keeps; past it, the last ones. 16 Mi. */
  maxBuffer: 16 * 1024 * 1024,
  /** UTF-16 units of an unfinished output line held before it is handed out in pieces (`LineEngine`). 64 Ki. */
  maxLineLength: 64 * 1024,
  /** Terminal size for `terminal: true`. */
  terminalCols: 80,
  terminalRows: 24,
  /** The Claude CLI executable. */
  claudeCommand: 'claude',
  /** Claude runs in stream-json format pass `--include-partial-messages` (live text token by token). */
  claudePartialMessages: true as boolean,
  /** Workspaces (issue 13): what is left of a run's worktree afterwards (`keep`). */
  workspaceKeep: 'on-change' as 'always' | 'on-change' | 'never',
  /** Branch names of worktrees: `<prefix>/<session id>/<process id>`. */
  workspaceBranchPrefix: 'rxo',
  /** Tries again of a git command that met a `*.lock` another process holds, and the first wait (doubling). */
  gitLockRetries: 6,
  gitLockRetryMs: 50,
  /** The git executable of workspaces. */
  gitCommand: 'git',
  /** Worktrees go under `<repository><suffix>/`, beside the repository (`workspace.worktree.root`). */
  workspaceRootSuffix: '.worktrees',
  /** Who commits a run's changes when the repository names nobody (`user.email` unset). */
  workspaceCommitter: { name: 'rx-orchestration', email: 'rx-orchestration@localhost' },
  /** Processes per batch of the `batched` strategy (`batchSize`, `--batch-size`). */
  batchSize: 2,
  /** Logs go to `<cwd>/<logRoot>/<sessionId>/`. */
  logRoot: '.claude/runtime/logs',
  /**
   * Bytes a log file may have waiting for the disk before it holds the output gate closed (the
   * children's output then waits): large enough that a disk keeping up never pauses anyone.
   */
  logHighWaterMark: 1024 * 1024,
  /** A process log's lines are written once this many characters wait (one write per block). */
  logBlockChars: 64 * 1024,
  /** ...or this long after the first line waiting, so a live log never lags further (`tail -f`). */
  logFlushDelayMs: 100,
  /**
   * Largest prompt, in bytes, passed as a command-line argument; a larger one goes on stdin.
   * Linux caps one argument at 131072 bytes including its terminating NUL.
   */
  maxArgPromptBytes: 131071,
  /** Largest total size of argv plus environment, in bytes, before the prompt moves to stdin. */
  maxArgvEnvBytes: 1024 * 1024,

  // Retry, halt and maxWorkers 'auto' (issue 6)
  /** Milliseconds before the first retry of a failed run (`retry.delayMs`; `--retry-delay` is in seconds). */
  retryDelayMs: 1000,
  /** How retry waits grow (`retry.backoff`, `--retry-backoff`). */
  retryBackoff: 'fixed' as 'fixed' | 'exponential',
  /**
   * Memory, in bytes, that `maxWorkers: 'auto'` sets aside for each process: 512 MiB. The Claude
   * CLI alone (`claude --version`) peaks at about 214 MiB resident here; a working session holds more.
   */
  memoryPerProcess: 512 * 1024 * 1024,
} as const;
