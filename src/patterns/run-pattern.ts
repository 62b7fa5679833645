/**
 * The frame every pattern shares: open (or use) its one session, announce its phases
 * (`plan-start`), run its body phase by phase, decide the verdict, write summary.json with the
 * verdict in `details`, and end with the `summary` event and then the `verdict` event.
 * Unsubscribing stops every running process (the orchestrator's teardown) and closes a session
 * the pattern opened; an abort of `signal` skips the phases not yet started and the verdict says so.
 */
import { concat, defer, from, mergeMap, Observable, of } from 'rxjs';
import type { OrchestrationEvent, PhaseInfo } from '../orchestrator/events';
import { finish } from '../orchestrator/finish';
import { OrchestratorSession } from '../session/orchestrator-session';
import { PatternContext } from './pattern-context';
import type { PatternOptions } from './pattern-options';
import type { PatternEvent, PatternName, VerdictBase, VerdictEvent } from './verdict';

export interface PatternDefinition<V extends VerdictBase> {
  readonly pattern: PatternName;
  /** The phases, as `plan-start` announces them (a phase may be skipped: a cascade stops at the level that passes). */
  readonly phases: readonly Omit<PhaseInfo, 'index'>[];
  /** The phases, run one after another; each reads the results of those before it from the context. */
  body(context: PatternContext): Observable<OrchestrationEvent>;
  /** The verdict, from the results (called also when stopped or failed). */
  decide(context: PatternContext): V;
}

export function runPattern<V extends VerdictBase>(definition: PatternDefinition<V>, options: PatternOptions): Observable<PatternEvent<V>> {
  return new Observable<PatternEvent<V>>((subscriber) => {
    const abort = new AbortController();
    const onAbort = (): void => abort.abort(options.signal?.reason ?? options.forceSignal?.reason);
    options.signal?.addEventListener('abort', onAbort);
    options.forceSignal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted || options.forceSignal?.aborted) onAbort();
    let session: OrchestratorSession | undefined;
    let owned = false;
    let done = false;
    try {
      if (options.session instanceof OrchestratorSession) session = options.session;
      else if (options.session) {
        session = new OrchestratorSession({ ...options.session, ...(options.outputGate ? { outputGate: options.outputGate } : {}) });
        owned = true;
      }
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }
    const phases: PhaseInfo[] = definition.phases.map((phase, index) => ({ ...phase, index }));
    const context = new PatternContext(session, options, abort.signal, phases);
    const start: OrchestrationEvent = { type: 'plan-start', at: Date.now(), phases, ...(session ? { sessionDir: session.sessionDir } : {}) };
    const conclude = async (): Promise<PatternEvent<V>[]> => {
      let verdict = definition.decide(context);
      const stoppedBy = context.stoppedBy;
      if (stoppedBy && !verdict.decided) verdict = { ...verdict, reason: `stopped (${stoppedBy}): ${verdict.reason ?? 'no decision'}` };
      if (context.failure && !verdict.decided) verdict = { ...verdict, reason: `${verdict.reason ?? 'no decision'}; a phase failed: ${context.failure.message}` };
      const stopped = options.forceSignal?.aborted ? 'forced' : stoppedBy ? 'graceful' : null;
      const summary = await finish({
        session, owned, results: context.ordered, succeeded: verdict.decided, failure: context.failure, stopped,
        stoppedBy: stoppedBy ?? undefined, resumedFrom: undefined, details: { pattern: definition.pattern, verdict },
      });
      done = true;
      const last: VerdictEvent<V> = { type: 'verdict', at: Date.now(), pattern: definition.pattern, verdict };
      return [summary, last];
    };
    const subscription = concat(of(start), defer(() => definition.body(context)), defer(() => from(conclude())).pipe(mergeMap((events) => from(events)))).subscribe(subscriber);
    return () => {
      options.signal?.removeEventListener('abort', onAbort);
      options.forceSignal?.removeEventListener('abort', onAbort);
      subscription.unsubscribe();
      if (!done && owned) void session?.close().catch(() => undefined);
    };
  });
}
