/**
 * The CLI's options object (what the flags map to), its I/O, and its exit codes.
 */
import type { CreateProcessOptions, HaltPolicy, ResourceLimits, RetryOptions, StrategyName } from '../index';
import type { Output } from './render';
import type { ResumeFlags } from './resume';
import type { DashboardCliOptions } from './dashboard-flags';
import type { PatternCommand, PatternFlags } from './pattern-flags';
import type { ClusterCliOptions } from './cluster-flags';

export interface CliOptions {
  readonly command: StrategyName | 'demo' | 'resume' | 'dashboard' | PatternCommand;
  /** `--names`/`--name`: the ids of the processes, in order (default `process_001`, ...). */
  readonly names?: readonly string[];
  /** `--kill-grace`: seconds between SIGTERM and SIGKILL when a process is stopped. @default defaults.killGrace */
  readonly killGrace?: number;
  /** `--no-log`: no session directory, no log files. @default true */
  readonly log?: boolean;
  /** Prompts, or with `exec` command lines (`resume`: the earlier session's id or directory). */
  readonly items: readonly string[];
  readonly maxWorkers?: number | 'auto';
  readonly batchSize?: number;
  readonly passOutput: boolean;
  readonly stopOnFailure: boolean;
  readonly model?: string;
  readonly timeout?: number;
  /** `--retries` and friends: applied to every process. */
  readonly retry?: RetryOptions;
  /** `--halt` (parallel, batched). */
  readonly halt?: HaltPolicy;
  readonly workingDir: string;
  readonly logRoot?: string;
  /** The Claude executable; for `demo`, the simulated agent unless given. */
  readonly claudeCommand?: string;
  readonly exec: boolean;
  /** `--strict-logs`: exit 3 when the jobs succeeded but the logs are incomplete. @default false */
  readonly strictLogs?: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  /** Claude options for every prompt (issue 3). */
  readonly claude?: CreateProcessOptions;
  /** Seconds between the starts of runs that start together (issue 3). */
  readonly startDelay?: number;
  // Resource limits, job log and resume (issue 6)
  /** OS-enforced limits for every process (`--memory-limit`, `--cpu-limit`, `--nice`). */
  readonly limits?: ResourceLimits;
  /** `--resume-failed <session>`: leave out what succeeded in that earlier session. */
  readonly resumeFailed?: string;
  // Live board and output filtering (issue 6)
  /** The live status board on a terminal (`--no-board`: prefixed lines only). @default true */
  readonly board?: boolean;
  /** Only output lines matching it are shown live (`--filter`). @default none */
  readonly filter?: RegExp;
  // Resume safety (issue 10)
  /** `resume`: `--kill-stale`, `--yes`, `--trust-plan`. */
  readonly resumeFlags?: ResumeFlags;
  // Secrets and terminal safety (issue 10)
  /** Live output lines as the processes wrote them, colours and escape sequences included (`--raw`). @default false */
  readonly raw?: boolean;
  /** `--json` events with secrets redacted (`--redact`); human output is always redacted. @default false */
  readonly redact?: boolean;
  // Workspaces (issue 13)
  /** `--workspace worktree`: every process in its own git worktree. */
  readonly workspace?: string;
  /** `--workspace-keep always|on-change|never`. */
  readonly workspaceKeep?: string;
  // The web dashboard (issue 15)
  /** `--dashboard` and friends (`orchestrate dashboard`: `--port`, `--dashboard-host`); undefined: no dashboard. */
  readonly dashboard?: DashboardCliOptions;
  // Patterns (issue 13)
  /** The pattern commands' own flags (`--n`, `--positions`, `--models`, `--experts`, `--prompt`, ...). */
  readonly pattern?: PatternFlags;
  // Scale-out (issue 14)
  /** `--redis` (or RXO_REDIS_URL), `--queue`, `--secret-file`, `--pass-env`: run the processes on workers. @default local */
  readonly cluster?: ClusterCliOptions;
}

export interface CliIO {
  readonly stdout: Output & { readonly isTTY?: boolean; on?(event: 'error', listener: (error: Error) => void): unknown; off?(event: 'error', listener: (error: Error) => void): unknown };
  readonly stderr: Output;
  readonly env: NodeJS.ProcessEnv;
  /** Where `resume` reads the user's answer (only when it and stdout are terminals). */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

export const EXIT = { ok: 0, failed: 1, usage: 2, logsIncomplete: 3, stale: 75, hangup: 129, interrupted: 130, brokenPipe: 141, terminated: 143 } as const;

