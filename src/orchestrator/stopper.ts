/**
 * Stopping an orchestration: a first stop is graceful (every running process gets SIGTERM, then
 * SIGKILL after its kill grace, and every result is still reported), a second one forces (SIGKILL
 * to every running process group at once). `createStopper()` hands out the two signals
 * `orchestrate` takes and counts the calls; `ForceKill` is the orchestrator's side.
 */
import { signalGroup } from '../process/terminate/process-groups';
import type { ProcessEvent } from '../process/types';
import type { StopKind } from './events';

export interface Stopper {
  /** Aborted by the first `stop()`: pass as `orchestrate`'s `signal`. */
  readonly signal: AbortSignal;
  /** Aborted by the second `stop()`: pass as `orchestrate`'s `forceSignal`. */
  readonly forceSignal: AbortSignal;
  /** First call: graceful stop (`reason` becomes the summary's `stoppedBy`); later calls: forced. */
  stop(reason?: unknown): StopKind;
}

/**
 * @example
 * ```ts
 * import { CommandProcess, orchestrate } from 'rx-orchestration';
 * import { createStopper } from 'rx-orchestration/toolkit';
 * const plan = { phases: [{ strategy: 'parallel' as const, processes: [new CommandProcess({ command: 'sleep', args: ['60'] })] }] };
 * const stopper = createStopper();
 * process.on('SIGINT', () => stopper.stop('SIGINT')); // first Ctrl-C: SIGTERM, then SIGKILL after the grace; second: SIGKILL now
 * orchestrate(plan, { signal: stopper.signal, forceSignal: stopper.forceSignal }).subscribe(console.log);
 * ```
 */
export function createStopper(): Stopper {
  const graceful = new AbortController();
  const forced = new AbortController();
  return {
    signal: graceful.signal,
    forceSignal: forced.signal,
    stop(reason) {
      if (!graceful.signal.aborted) {
        graceful.abort(reason);
        return 'graceful';
      }
      forced.abort(reason);
      return 'forced';
    },
  };
}

/**
 * The process groups still running, from the events; `killAll` sends each SIGKILL. Kept by process
 * id: a retry's new start replaces the attempt before it (whose result retry swallows), so a pid
 * that has ended is never signalled again after the system has given it to someone else.
 */
export class ForceKill {
  private readonly running = new Map<string, number>();

  /** Follows one event: a start records its pid, a result forgets the process. */
  follow(event: ProcessEvent): void {
    if (event.type === 'start') this.running.set(event.processId, event.pid);
    else if (event.type === 'result') this.running.delete(event.processId);
  }

  /** How many processes run now. */
  get size(): number {
    return this.running.size;
  }

  /** SIGKILL to every running process group (each process leads its own group). */
  killAll(): void {
    for (const pid of this.running.values()) signalGroup(pid, 'SIGKILL');
  }
}
