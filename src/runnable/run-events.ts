/**
 * How a process class composes one run from the layers below it: the process layer spawns
 * (`spawnEvents`), an agent's operator reshapes each attempt (Claude's stream parsing), then
 * `operators/` retry and mirror, and `logging/` records the run. Nothing below this file knows
 * that a log, a retry or a mirror exists.
 *
 * ```text
 * spawnEvents ─► parse (per attempt) ─► retryEvents ─► mirrorOutput ─► logEvents ─► subscriber
 * ```
 *
 * With a `workspace`, `workspace/` makes a git worktree before all of it (the run works there)
 * and sums it up on the result after it (`workspace-run.ts`).
 */
import { defer, of, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import { defaults } from '../defaults';
import { sequenced } from '../events/sequenced';
import { createRedactor, secretValues, type Redactor } from '../logging/redact';
import { logEvents, type ProcessLogSink } from '../logging/log-sink';
import { mirrorOutput } from '../operators/mirror-output';
import { retryEvents } from '../operators/retry';
import { spawnEvents, type SpawnRequest } from '../process/spawn-events';
import type { ProcessEvent, RunOptions } from '../process/types';
import { checkMilliseconds } from '../validate';
import { optionsTimeoutMs, type BaseProcessOptions } from './process-options';
import { inWorkspace } from './workspace-run';

/** What one run executes: the program, its arguments and its stdin. */
export interface Invocation {
  readonly command: string;
  readonly args: readonly string[];
  readonly input?: string | Buffer;
  /** The prompt, for agent runs (stated in the log). */
  readonly prompt?: string;
  /** How the prompt or input was delivered, e.g. `argv` or `stdin (250000 bytes)`. */
  readonly delivery?: string;
}

/** One run, composed. */
export interface RunPlan {
  readonly processId: string;
  /** The process's options: its run fields, `retry`, `streamOutput` and `outputGate`. */
  readonly options: BaseProcessOptions;
  readonly invocation: Invocation;
  /** The child's whole environment. */
  readonly env: Record<string, string>;
  /** Reshapes each attempt's raw events before retry, mirroring and logs (Claude parses its output here). */
  readonly parse?: MonoTypeOperatorFunction<ProcessEvent>;
  /** Where the run is logged. @default not logged */
  readonly logSink?: ProcessLogSink;
}

/**
 * A cold Observable of one run (a strategy's `timeoutMs`, `signal` and `context` in `run`). With
 * a `workspace`, the whole run happens in a worktree made first (`workspace-run.ts`).
 */
export function runEvents(plan: RunPlan, run: RunOptions): Observable<ProcessEvent> {
  return defer(() => {
    checkMilliseconds('timeoutMs', run.timeoutMs);
    const { options, processId } = plan;
    const cwd = options.cwd ?? process.cwd();
    // Aborted already: nothing will start (a `not-started` result), so no worktree is made for it.
    if (!options.workspace || run.signal?.aborted) return composeRun(plan, run, cwd);
    return inWorkspace(
      { spec: options.workspace, cwd, processId, sessionId: options.workspaceSession },
      {
        run: (workCwd) => composeRun(plan, run, workCwd),
        // Not retried (no try can mend a dirty base), but logged and numbered like any run.
        failed: (result) => {
          // Git's words may quote paths and names: the child's secrets are kept out, as in any error.
          const error = result.error === null ? null : createRedactor(secretValues(plan.env))(result.error);
          return composeRun(plan, run, cwd, () => of<ProcessEvent>({ type: 'result', processId, result: { ...result, error }, at: Date.now() }));
        },
      },
    );
  });
}

/** The pipeline of one run in `cwd`; `unstarted` replaces the spawn by a result alone. */
function composeRun(plan: RunPlan, run: RunOptions, cwd: string, unstarted?: () => Observable<ProcessEvent>): Observable<ProcessEvent> {
  const { options, invocation, processId } = plan;
  const terminal = options.terminal;
  const timeoutMs = run.timeoutMs !== undefined ? (run.timeoutMs === 0 ? undefined : run.timeoutMs) : optionsTimeoutMs(options);
  let redactor: Redactor | undefined;
  const request: SpawnRequest = {
    processId,
    command: invocation.command,
    args: invocation.args,
    cwd,
    env: plan.env,
    input: invocation.input,
    terminal: Boolean(terminal),
    cols: (typeof terminal === 'object' && terminal.cols) || defaults.terminalCols,
    rows: (typeof terminal === 'object' && terminal.rows) || defaults.terminalRows,
    timeoutMs,
    killGraceMs: options.killGraceMs ?? defaults.killGraceMs,
    exitGraceMs: options.exitGraceMs ?? defaults.exitGraceMs,
    killLeftovers: options.killLeftovers ?? defaults.killLeftovers,
    maxBuffer: options.maxBuffer ?? defaults.maxBuffer,
    signal: run.signal,
    scheduler: options.scheduler,
    limits: options.limits,
    gate: options.outputGate,
    // The secrets of the child's environment, kept out of `error` (built only when there is
    // something to redact: a run that said nothing on stderr costs nothing here).
    redact: (text) => (text === '' ? text : (redactor ??= createRedactor(secretValues(request.env)))(text)),
  };
  const retry = options.retry;
  // Retrying re-subscribes the spawn (and the parsing) alone, so mirroring and the log see one
  // run of many attempts, and a Claude run that reports an error in its result is retried too.
  const attempt = unstarted ?? ((): Observable<ProcessEvent> => (plan.parse ? spawnEvents(request).pipe(plan.parse) : spawnEvents(request)));
  const retrying = !unstarted && retry !== undefined && retry.count > 0;
  let events$ = retrying ? retryEvents(attempt, retry, run.signal) : attempt();
  if (options.streamOutput) events$ = events$.pipe(mirrorOutput());
  if (plan.logSink) {
    events$ = events$.pipe(
      logEvents(plan.logSink, {
        processId,
        command: invocation.command,
        args: invocation.args,
        cwd,
        prompt: invocation.prompt,
        delivery: invocation.delivery,
        terminal: request.terminal,
        secrets: secretValues(request.env),
      }),
    );
  }
  // One run, one numbering: seq counts on across attempts and parsed events (protocol v1). A
  // plain run's events are numbered by the process layer already.
  return retrying || plan.parse || unstarted ? events$.pipe(sequenced()) : events$;
}
