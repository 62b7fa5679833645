/**
 * Runs the plan through `orchestrate` and shows what it emits: headings at phase starts, every
 * process event, the fallback's outcome, and the notes about resuming and `--max-workers auto`.
 * Resolves how it ended: the summary, or an error before anything ran (a usage error) or after.
 */
import { orchestrate, type AutoMaxWorkers, type OrchestrationEvent, type OrchestrateOptions, type Plan, type SummaryEvent } from '../index';
import type { Renderer } from './render';

export interface RunPlanInput {
  /** Built inside the run, so that a problem building it is reported like any setup problem. */
  readonly plan: () => Plan;
  readonly orchestrate: OrchestrateOptions;
  readonly renderer: Renderer;
  /** The processes running now, by id (for the message on the first Ctrl-C); a retry's start replaces its last attempt. */
  readonly running: Set<string>;
  readonly notes: { readonly resumed: boolean; readonly auto?: AutoMaxWorkers };
  /** Sees every event first (the dashboard). */
  readonly onEvent?: (event: OrchestrationEvent) => void;
}

export type RunOutcome =
  | { readonly kind: 'done'; readonly summary: SummaryEvent }
  | { readonly kind: 'error'; readonly error: unknown; readonly summary?: undefined }
  | { readonly kind: 'setup-error'; readonly error: unknown; readonly summary?: undefined };

function autoNote(auto: AutoMaxWorkers): string {
  const gib = (auto.freeMemory / 2 ** 30).toFixed(1);
  const mib = Math.round(auto.memoryPerProcess / 2 ** 20);
  return `--max-workers auto: ${auto.workers} (${auto.cores} cores + 4 = ${auto.cores + 4}; ${gib} GiB free / ${mib} MiB per process = ${Math.floor(auto.freeMemory / auto.memoryPerProcess)}; limited by ${auto.limitedBy})`;
}

export function runPlan(input: RunPlanInput): Promise<RunOutcome> {
  const { renderer, running } = input;
  return new Promise((resolve) => {
    let started = false;
    let phases = 0;
    let plan: Plan;
    try {
      plan = input.plan();
    } catch (error) {
      resolve({ kind: 'setup-error', error });
      return;
    }
    orchestrate(plan, input.orchestrate).subscribe({
      next(event) {
        input.onEvent?.(event);
        switch (event.type) {
          case 'plan-start': {
            started = true;
            phases = event.phases.length;
            if (event.resumedFrom && input.notes.resumed) {
              renderer.note(`Resuming ${event.resumedFrom}: ${event.phases.reduce((n, phase) => n + phase.processIds.length, 0)} process(es) to run`);
            }
            if (input.notes.auto) renderer.note(autoNote(input.notes.auto));
            return;
          }
          case 'phase-start':
            renderer.heading(phases > 1 ? event.phase.name : undefined, event.phase.processIds);
            return;
          case 'phase-end': {
            const last = event.results[event.results.length - 1];
            if (event.phase.strategy === 'fallback' && last) renderer.note(last.exitCode === 0 ? `Succeeded with: ${last.processId}` : `Fallback failed: ${last.error}`);
            return;
          }
          case 'summary':
            resolve({ kind: 'done', summary: event });
            return;
          default:
            if (event.type === 'start') running.add(event.processId);
            else if (event.type === 'result') running.delete(event.processId);
            renderer.event(event);
        }
      },
      error: (error: unknown) => resolve({ kind: started ? 'error' : 'setup-error', error }),
    });
  });
}
