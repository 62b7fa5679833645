/**
 * Waiting while a dashboard serves: until SIGINT, SIGTERM or SIGHUP (each handled, so it only
 * ends the wait), or until `timeoutMs` has passed when given.
 */
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Resolves with the signal that ended the wait, or undefined when the time ran out. */
export function untilStopSignal(timeoutMs?: number): Promise<NodeJS.Signals | undefined> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (signal?: NodeJS.Signals): void => {
      for (const name of SIGNALS) process.off(name, done);
      if (timer) clearTimeout(timer);
      resolve(signal);
    };
    for (const name of SIGNALS) process.on(name, done);
    if (timeoutMs !== undefined) timer = setTimeout(() => done(), timeoutMs);
  });
}
