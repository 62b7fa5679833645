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
  /**
   * How pipe-mode children are started: 'fast' (posix_spawn from the native addon
   * build/rxo-spawner.node, falling back to 'node' without it) or 'node' (child_process.spawn,
   * libuv's fork). The host's RXO_SPAWNER environment variable overrides it.
   */
  spawner: 'fast' as 'node' | 'fast',
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

  // Patterns (issue 13)
  /** Versions an n-version run implements (`nVersion`'s `n`, `--n`). */
  patternVersions: 3,
  /** Rounds of a debate (`rounds`, `--rounds`). */
  patternRounds: 2,
  /** A cascade level's self-assessed confidence (0 to 1) needed to pass its gate (`threshold`, `--threshold`). */
  patternThreshold: 0.7,
  /** The CLI's debate positions when `--positions` is not given. */
  patternPositions: ['for', 'against'] as readonly string[],
  /** The CLI's cascade models when `--models` is not given, cheapest first. */
  patternModels: ['haiku', 'sonnet', 'opus'] as readonly string[],
  /** The CLI's panel experts when `--experts` is not given. */
  patternExperts: ['security', 'performance', 'maintainability'] as readonly string[],
  /** Characters of each version's diff shown to the n-version reviewer (the start; the rest is cut). */
  patternPatchChars: 20000,
  /** Characters of a check command's output (its tail) shown to a reviewer. */
  patternCheckOutputChars: 4000,
  // Scale-out on BullMQ and Redis (issue 14, src/cluster/)
  /** BullMQ queue name of remote runs (`queue`, `--queue`); its keys start with `rxo:<queue>:`. */
  clusterQueue: 'rxo',
  /** Fewest characters of the shared cluster secret. */
  clusterSecretMinLength: 16,
  /** Entries a run's event stream keeps at most (XADD MAXLEN ~): a reader further behind loses the oldest, and is told so. */
  clusterMaxStreamLength: 100_000,
  /** Milliseconds a run's stream and its "result written" mark live after the result (the client deletes the stream sooner). */
  clusterResultTtlMs: 24 * 60 * 60 * 1000,
  /** Milliseconds a worker's hold on a job lasts without renewal: a worker silent this long is taken for dead. */
  clusterLockDurationMs: 10_000,
  /** Milliseconds between checks for jobs whose worker died (BullMQ stalled-job detection). */
  clusterStalledIntervalMs: 5_000,
  /** Times a job may lose its worker before it fails for good. */
  clusterMaxStalledCount: 5,
  /** Milliseconds a stopping worker lets its running jobs finish before it stops them and hands them back. */
  clusterShutdownGraceMs: 30_000,
  /** Milliseconds between a worker's heartbeats (what `orchestrate workers` lists lives 3 heartbeats). */
  clusterHeartbeatMs: 2_000,
  /** Milliseconds a client or worker waits for Redis at start before it fails. */
  clusterConnectTimeoutMs: 5_000,
  /** Milliseconds after which a signed job is too old to run (a replayed job is refused). */
  clusterJobMaxAgeMs: 24 * 60 * 60 * 1000,
  /** Longest wait between reconnection attempts to Redis, in milliseconds (the backoff doubles up to it). */
  clusterReconnectMaxDelayMs: 5_000,
} as const;

/** Defaults of the web dashboard (`dashboard()`, `--dashboard`). */
export const dashboardDefaults = {
  /** Where it listens: loopback only (`--dashboard-host` changes it, with a warning). */
  host: '127.0.0.1',
  /** Port 0: a free port chosen by the system. */
  port: 0,
  /** Output kept per process for the page, in characters (older output is in the process's log file): 1 Mi. */
  outputPerProcess: 1024 * 1024,
  /** Characters of encoded events kept for clients that reconnect (`Last-Event-ID`): 16 MiB. */
  historyChars: 16 * 1024 * 1024,
  /** Bytes a client may have unsent before it gets a `resync` instead: 4 MiB. */
  clientQueueBytes: 4 * 1024 * 1024,
  /** Seconds the CLI keeps serving after the run when stdout is not a terminal. */
  lingerSeconds: 0,
  /** Most output a page asks for at once, in characters: 1 MiB. */
  maxRangeChars: 1024 * 1024,
} as const;
