/**
 * One AbortSignal shared by many runs (not exported). Every running process listens for its
 * signal's `abort` (spawn-events, retry waits, Claude start delays), so a strategy running 200
 * processes puts 200 listeners on the signal it was given, and Node prints
 * `MaxListenersExceededWarning: Possible EventTarget memory leak detected. 11 abort listeners`
 * past 10. Those listeners are not a leak: each run removes its own when it ends, so there are
 * never more than the runs in flight.
 *
 * The caller's signal is left as it is (its limit is theirs, and still guards their own code):
 * runs get a signal that follows it, made once per caller signal, whose listener limit is lifted.
 * `AbortSignal.any` links the two without a listener on the caller's signal, and aborts the
 * follower synchronously, with the same reason, when the caller's signal aborts.
 */
import { setMaxListeners } from 'node:events';

const followers = new WeakMap<AbortSignal, AbortSignal>();

/** A signal that aborts with `signal` and takes any number of listeners; undefined for none. */
export function sharedSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
  if (!signal) return undefined;
  let follower = followers.get(signal);
  if (!follower) {
    follower = ownSignal(AbortSignal.any([signal]));
    followers.set(signal, follower);
  }
  return follower;
}

/**
 * Marks a signal the library made itself (a halt's) as shareable as it is: its listener limit is
 * lifted and `sharedSignal` hands it back unchanged instead of making a follower per run.
 */
export function ownSignal(signal: AbortSignal): AbortSignal {
  setMaxListeners(0, signal);
  followers.set(signal, signal);
  return signal;
}
