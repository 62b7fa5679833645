/**
 * Stops a whole process group: SIGTERM now, SIGKILL once the grace period has passed if a
 * member is still alive. The escalation runs on its own timer, so it goes on after the
 * subscriber that asked for it has gone.
 *
 * "Alive" ignores zombies: descendants re-parented to an init that reaps slowly (as in many
 * containers) would otherwise look alive until the grace ran out. One shared poll per scheduler
 * serves every stop in progress on it, reading /proc once per tick on Linux.
 *
 * Time comes from a scheduler (RxJS `asyncScheduler` unless one is given): the grace and the
 * poll are actions on it, so a test can advance a virtual clock instead of waiting real seconds.
 */
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { trackGroup } from './host-exit';
import { groupAlive, liveGroups, signalGroup } from './process-groups';

/** How often a stop in progress looks whether its group is gone. */
export const STOP_POLL_MS = 25;

export interface StopGroupOptions {
  /** Milliseconds between SIGTERM and SIGKILL. */
  readonly graceMs: number;
  /** The clock of the grace and of the poll. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** A stop in progress. `forced` turns true at the moment SIGKILL is sent. */
export interface GroupStop {
  readonly forced: boolean;
  /** Resolves once no member is alive or SIGKILL was sent. */
  readonly done: Promise<void>;
}

interface PendingStop {
  readonly pgid: number;
  /** Ends the stop: the group is gone (`forced` false) or was just sent SIGKILL. */
  readonly end: () => void;
}

/** The stops in progress on one scheduler, and that scheduler's poll. */
interface Poll {
  readonly pending: Set<PendingStop>;
  action?: Subscription;
}

const polls = new Map<SchedulerLike, Poll>();

function pollOnce(scheduler: SchedulerLike, poll: Poll): void {
  const live = liveGroups();
  for (const stop of poll.pending) if (!groupAlive(stop.pgid, live)) stop.end();
  if (poll.pending.size === 0) {
    poll.action?.unsubscribe();
    polls.delete(scheduler);
  }
}

function watch(scheduler: SchedulerLike, stop: PendingStop): () => void {
  let poll = polls.get(scheduler);
  if (!poll) {
    const created: Poll = { pending: new Set() };
    polls.set(scheduler, (poll = created));
    // A new action per poll, not `this.schedule` from inside the action: on a virtual scheduler
    // that nests each poll in the one before, and a stop of 60 s (2,400 polls) overflowed the
    // stack when the chain was unsubscribed.
    const tick = (): void => {
      pollOnce(scheduler, created);
      if (created.pending.size > 0) created.action = scheduler.schedule(tick, STOP_POLL_MS);
    };
    created.action = scheduler.schedule(tick, STOP_POLL_MS);
  }
  poll.pending.add(stop);
  const own = poll;
  return () => {
    own.pending.delete(stop);
    if (own.pending.size === 0) {
      own.action?.unsubscribe();
      if (polls.get(scheduler) === own) polls.delete(scheduler);
    }
  };
}

/**
 * Sends SIGTERM to group `pgid` and SIGKILL `graceMs` later if a member is still alive.
 * `stopGroup(child.pid, { graceMs: 5000 })` returns at once; await its `done`, then `forced`
 * tells whether SIGKILL was needed. Internal: a process's teardown calls it (its kill grace is
 * the `killGraceMs` option; `scheduler` puts the grace and the polls on a virtual clock).
 */
export function stopGroup(pgid: number, options: StopGroupOptions): GroupStop {
  const scheduler = options.scheduler ?? asyncScheduler;
  const state = { forced: false };
  const done = new Promise<void>((resolve) => {
    if (!signalGroup(pgid, 'SIGTERM')) {
      resolve();
      return;
    }
    const release = trackGroup(pgid);
    let ended = false;
    // Assigned below; a scheduler that runs due work at once (queueScheduler) may end the stop first.
    let unwatch: (() => void) | undefined;
    let deadline: Subscription | undefined;
    const end = (): void => {
      if (ended) return;
      ended = true;
      unwatch?.();
      deadline?.unsubscribe();
      release();
      resolve();
    };
    unwatch = watch(scheduler, { pgid, end });
    deadline = scheduler.schedule(() => {
      if (ended) return;
      if (groupAlive(pgid)) {
        state.forced = true;
        signalGroup(pgid, 'SIGKILL');
      }
      end();
    }, Math.max(0, options.graceMs));
  });
  return {
    get forced() {
      return state.forced;
    },
    done,
  };
}
