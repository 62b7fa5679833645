/**
 * `orchestrate(plan, options)`: the whole run of a plan as one cold Observable. Per subscription:
 * check every phase's options, open the session (logs), build the processes (specs through the
 * session, start delays staggered), leave out what an earlier session already did
 * (`resumeFailed`), record the plan, run the phases one after another, then write the summary.
 * It emits every process event, `plan-start`, `phase-start`/`phase-end` around each phase and a
 * last `summary`. A problem found before anything runs (bad options, a log directory that cannot
 * be created) is an error notification; anything later ends in the summary.
 *
 * Stopping: aborting `signal` stops gracefully (running processes get SIGTERM, then SIGKILL after
 * their kill grace; later phases are skipped; results, logs and the summary are still written);
 * aborting `forceSignal` SIGKILLs every running process group at once. Unsubscribing kills every
 * running process and closes a session the orchestrator opened.
 */
import { from, Observable, type Subscription } from 'rxjs';
import type { OutputGate } from '../process/buffer/output-gate';
import type { ProcessResult, Runnable } from '../process/types';
import { OrchestratorSession, type SessionOptions } from '../session/orchestrator-session';
import { inSubmissionOrder } from '../strategies/results';
import { grep } from '../output/grep';
import type { SpecBuilder } from '../runnable/from-spec';
import { buildProcess, sessionDefaults } from './build-process';
import { freshRunId } from '../runnable/workspace-run';
import type { OrchestrationEvent, PhaseInfo } from './events';
import { phaseName, type Plan } from './plan';
import { storedSettings, withoutSucceededPhases } from './resume-plan';
import { ForceKill } from './stopper';
import { staggeredDelayMs, startSlots, strategyOperator, strategySucceeded } from './strategy';
import { finish } from './finish';

export interface OrchestrateOptions {
  /** Where the logs go: a session (its plan, logs and summary.json; you close it), or the options of one the orchestrator opens and closes. @default no logs */
  readonly session?: OrchestratorSession | SessionOptions;
  /** false: no logs at all; processes built from specs still take the session options' model, command, Claude options, retry and working directory. @default true */
  readonly log?: boolean;
  /** First abort: stop gracefully. Its `reason`, when a string (`SIGINT`), is recorded as `stoppedBy`. */
  readonly signal?: AbortSignal;
  /** Abort: SIGKILL every running process group now (a second Ctrl-C). */
  readonly forceSignal?: AbortSignal;
  /** An earlier session directory: the processes that succeeded there are left out (GNU parallel's `--resume-failed`). */
  readonly resumeFailed?: string;
  /** The earlier session this plan continues (`resumePlan`), recorded in plan.json and the summary. */
  readonly resumedFrom?: string;
  /** Backpressure shared by the processes built from specs and the session's logs (pass the renderer's too). */
  readonly outputGate?: OutputGate;
  /** Builders of your own kinds of process spec, by kind (see `fromSpec`). @default {} */
  readonly build?: Readonly<Record<string, SpecBuilder>>;
  /** Only output lines matching it are emitted (whole lines); results and logs stay complete. */
  readonly outputFilter?: RegExp;
  /** Extra fields for summary.json's `details`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

interface BuiltPhase extends PhaseInfo {
  readonly processes: readonly Runnable[];
  readonly options: NonNullable<Plan['phases'][number]['options']>;
}

/**
 * @example
 * ```ts
 * import { lastValueFrom } from 'rxjs';
 * import { CommandProcess, orchestrate } from 'rx-orchestration';
 * const echo = (word: string) => new CommandProcess({ command: 'echo', args: [word], processId: word });
 * const plan = { phases: [{ strategy: 'parallel' as const, processes: [echo('a'), echo('b')], options: { maxWorkers: 2 } }] };
 * const last = await lastValueFrom(orchestrate(plan)); // the summary event
 * ```
 */
export function orchestrate(plan: Plan, options: OrchestrateOptions = {}): Observable<OrchestrationEvent> {
  return new Observable<OrchestrationEvent>((subscriber) => {
    const abort = new AbortController();
    const onAbort = (): void => abort.abort(options.signal?.reason);
    const killer = new ForceKill();
    const onForce = (): void => {
      onAbort();
      killer.killAll();
    };
    options.signal?.addEventListener('abort', onAbort);
    options.forceSignal?.addEventListener('abort', onForce);
    if (options.signal?.aborted) onAbort();
    let running: Subscription | undefined;
    let session: OrchestratorSession | undefined;
    let owned = false;
    let done = false;
    const emit = (event: OrchestrationEvent): void => subscriber.next(event);

    const start = async (): Promise<void> => {
      // Everything that can be checked is checked before a directory is created.
      for (const phase of plan.phases) strategyOperator(phase.strategy, phase.options ?? {});
      if (options.session instanceof OrchestratorSession) session = options.session;
      else if (options.session && options.log !== false) {
        session = new OrchestratorSession({ ...options.session, ...(options.outputGate ? { outputGate: options.outputGate } : {}) });
        owned = true;
      }
      // Without a session, one id for the whole plan names its worktree branches (rxo/<run id>/<process id>).
      const runId = session ? undefined : freshRunId();
      let phases: BuiltPhase[] = plan.phases.map((phase, index) => {
        const phaseOptions = phase.options ?? {};
        const slots = phaseOptions.startDelayMs ? startSlots(phase.strategy, phaseOptions) : 1;
        const processes = phase.processes.map((entry, position) =>
          buildProcess(entry, { session, runId, defaults: sessionDefaults(options.session), build: options.build, outputGate: options.outputGate, startDelayMs: staggeredDelayMs(phase.strategy, position, phaseOptions.startDelayMs ?? 0, slots) }),
        );
        return { index, name: phaseName(phase), strategy: phase.strategy, processIds: processes.map((p) => p.processId), processes, options: phaseOptions };
      });
      if (options.resumeFailed !== undefined) {
        phases = withoutSucceededPhases(phases, options.resumeFailed).map((phase, index) => ({ ...phase, index, processIds: phase.processes.map((p) => p.processId) }));
      }
      const resumedFrom = options.resumedFrom ?? options.resumeFailed;
      for (const phase of phases) {
        session?.plan(phase.processes, { title: phase.name, strategy: phase.strategy, settings: storedSettings(phase.options), ...(resumedFrom ? { resumedFrom } : {}) });
      }
      const info = (phase: BuiltPhase): PhaseInfo => ({ index: phase.index, name: phase.name, strategy: phase.strategy, processIds: phase.processIds });
      emit({ type: 'plan-start', at: Date.now(), phases: phases.map(info), ...(resumedFrom ? { resumedFrom } : {}), ...(session ? { sessionDir: session.sessionDir } : {}) });

      const results: ProcessResult[] = [];
      let succeeded = true;
      let failure: Error | undefined;
      for (const phase of phases) {
        if (abort.signal.aborted) break;
        emit({ type: 'phase-start', at: Date.now(), phase: info(phase) });
        try {
          const phaseResults = inSubmissionOrder(await runPhase(phase), phase.processes);
          results.push(...phaseResults);
          const ok = strategySucceeded(phase.strategy, phaseResults, { halt: phase.options.halt, total: phase.processes.length });
          succeeded = ok && succeeded;
          emit({ type: 'phase-end', at: Date.now(), phase: info(phase), succeeded: ok, results: phaseResults });
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
          succeeded = false;
          break;
        }
      }
      const stoppedBy = abort.signal.aborted ? (typeof abort.signal.reason === 'string' ? abort.signal.reason : 'abort') : undefined;
      const stopped = options.forceSignal?.aborted ? 'forced' : abort.signal.aborted ? 'graceful' : null;
      const summary = await finish({ session, owned, results, succeeded, failure, stopped, stoppedBy, resumedFrom, details: options.details });
      done = true;
      emit(summary);
      subscriber.complete();
    };

    const runPhase = (phase: BuiltPhase): Promise<ProcessResult[]> =>
      new Promise((resolve, reject) => {
        const collected: ProcessResult[] = [];
        const operator = strategyOperator(phase.strategy, phase.options, abort.signal);
        running = from(phase.processes)
          .pipe(operator, options.outputFilter ? grep(options.outputFilter) : (events) => events)
          .subscribe({
            next(event) {
              killer.follow(event);
              if (event.type === 'result') collected.push(event.result);
              emit(event);
            },
            error: reject,
            complete: () => resolve(collected),
          });
      });

    start().catch((error: unknown) => {
      done = true;
      if (owned) void session?.close().catch(() => undefined);
      subscriber.error(error);
    });
    return () => {
      options.signal?.removeEventListener('abort', onAbort);
      options.forceSignal?.removeEventListener('abort', onForce);
      running?.unsubscribe();
      if (!done && owned) void session?.close().catch(() => undefined);
    };
  });
}
