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
import { signalName } from './signal-name';

/** Where the build puts it, from dist/process or src/process: the package root's build/. */
const BINARY = join(__dirname, '..', '..', '..', 'build', 'rxo-lifeline');

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

/** Terminal mode: the lifeline is the supervisor itself, and writes the end marker. */
export interface LifelineTerminal {
  /** The run's nonce (letters and digits): the lifeline ends the output with the end marker. */
  readonly marker: string;
  /** A path the command's stdin is opened from (in the child, before exec); none: the terminal. */
  readonly stdin?: string;
}

/** The command line that runs `file args` under the lifeline at `lifeline`. */
export function lifelineCommand(
  lifeline: string,
  file: string,
  args: readonly string[],
  options: LifelineOptions,
  terminal?: LifelineTerminal,
): { file: string; args: string[] } {
  const modes = terminal ? ['--marker', terminal.marker, ...(terminal.stdin === undefined ? [] : ['--stdin', terminal.stdin])] : [];
  return {
    file: lifeline,
    args: [
      String(process.pid),
      String(Math.max(0, Math.round(options.killGraceMs))),
      options.keepLeftovers ? '1' : '0',
      ...modes,
      '--',
      file,
      ...args,
    ],
  };
}

/**
 * Reads the status an end marker carries: `s<number>` for a command killed by that signal, else
 * the exit code. `exact`: the lifeline wrote it, so a code above 128 is a code. The shell
 * supervisor only knows `$?`, where a signal death reads as 128 + the signal: taken as a signal.
 */
export function markerStatus(text: string, exact: boolean): { exitCode: number | null; signal: NodeJS.Signals | null } | undefined {
  const match = /^(s?)(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[2]);
  const signalled = match[1] === 's' ? value : !exact && value > 128 ? value - 128 : 0;
  if (!signalled) return { exitCode: value, signal: null };
  const signal = signalName(signalled);
  // A signal Node has no name for (a real-time one): the shell's convention, 128 + its number.
  return signal ? { exitCode: null, signal } : { exitCode: 128 + signalled, signal: null };
}

/** Sent to the lifeline in terminal mode once the end marker was read: the run is over. */
export const LIFELINE_COMMAND_DONE: NodeJS.Signals = 'SIGUSR1';
