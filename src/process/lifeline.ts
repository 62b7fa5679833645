/**
 * The lifeline: `build/rxo-lifeline` (native/lifeline.c), a tiny supervisor the host starts in
 * place of each command. It leads the command's process group, watches the host through a pidfd
 * and stops the whole tree within about a second of the host's death, whatever the cause (SIGKILL,
 * the OOM killer, abort, any fatal signal); as a child subreaper it also catches descendants that
 * left the group (setsid, double fork) on a normal exit and on a stop.
 *
 * It is compiled at install time (scripts/build-native.js). Without the binary (a failed compile,
 * a platform other than Linux) or with RXO_LIFELINE=0 in the host's environment, commands run
 * directly, with the weaker guarantees of the host's own exit handlers (README, Guarantees).
 */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** Where the build puts it, from dist/process or src/process: the package root's build/. */
const BINARY = join(__dirname, '..', '..', 'build', 'rxo-lifeline');

let found: boolean | undefined;

/** The lifeline's path, or undefined when it is turned off (RXO_LIFELINE=0) or missing. */
export function lifelinePath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.RXO_LIFELINE === '0') return undefined;
  if (found === undefined) {
    try {
      accessSync(BINARY, constants.X_OK);
      found = process.platform === 'linux';
    } catch {
      found = false;
    }
  }
  return found ? BINARY : undefined;
}

/** What the lifeline needs to know besides the command. */
export interface LifelineOptions {
  /** Milliseconds between SIGTERM and SIGKILL for leftovers (the run's kill grace). */
  readonly killGraceMs: number;
  /** Leave what the command left running after it exited (`killLeftovers: false`). */
  readonly keepLeftovers: boolean;
}

/** The command line that runs `file args` under the lifeline at `lifeline`. */
export function lifelineCommand(
  lifeline: string,
  file: string,
  args: readonly string[],
  options: LifelineOptions,
): { file: string; args: string[] } {
  return {
    file: lifeline,
    args: [
      String(process.pid),
      String(Math.max(0, Math.round(options.killGraceMs))),
      options.keepLeftovers ? '1' : '0',
      '--',
      file,
      ...args,
    ],
  };
}

/** Sent to the lifeline in terminal mode once the end marker was read: end the supervisor script. */
export const LIFELINE_COMMAND_DONE: NodeJS.Signals = 'SIGUSR1';
