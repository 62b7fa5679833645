/**
 * Stops a whole process group: SIGTERM now, SIGKILL once the grace period has passed if a
 * member is still alive. The escalation runs on its own timer, so it goes on after the
 * subscriber that asked for it has gone.
 *
 * "Alive" ignores zombies: descendants re-parented to an init that reaps slowly (as in many
 * containers) would otherwise look alive until the grace ran out. One shared poll serves every
 * stop in progress, reading /proc once per tick on Linux.
 */
import { trackGroup } from './host-exit';
import { groupAlive, liveGroups, signalGroup } from './process-groups';

const POLL_MS = 25;

/** A stop in progress. `forced` turns true at the moment SIGKILL is sent. */
export interface GroupStop {
  readonly forced: boolean;
  /** Resolves once no member is alive or SIGKILL was sent. */
  readonly done: Promise<void>;
}

interface PendingStop {
  readonly pgid: number;
  readonly deadline: number;
  readonly state: { forced: boolean };
  readonly resolve: () => void;
  /** Releases the group from the host-exit list. */
  readonly release: () => void;
}

const pending = new Set<PendingStop>();
let poller: NodeJS.Timeout | undefined;

function poll(): void {
  const live = liveGroups();
  const now = Date.now();
  for (const stop of pending) {
    if (!groupAlive(stop.pgid, live)) {
      pending.delete(stop);
      stop.release();
      stop.resolve();
    } else if (now >= stop.deadline) {
      stop.state.forced = true;
      signalGroup(stop.pgid, 'SIGKILL');
      pending.delete(stop);
      stop.release();
      stop.resolve();
    }
  }
  if (pending.size === 0 && poller) {
    clearInterval(poller);
    poller = undefined;
  }
}

export function stopGroup(pgid: number, graceMs: number): GroupStop {
  const state = { forced: false };
  const done = new Promise<void>((resolve) => {
    if (!signalGroup(pgid, 'SIGTERM')) {
      resolve();
      return;
    }
    pending.add({ pgid, deadline: Date.now() + graceMs, state, resolve, release: trackGroup(pgid) });
    poller ??= setInterval(poll, Math.min(POLL_MS, Math.max(1, graceMs)));
  });
  return {
    get forced() {
      return state.forced;
    },
    done,
  };
}
