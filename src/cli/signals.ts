/**
 * Ctrl-C, SIGTERM and SIGHUP: the first one stops every process gracefully (the run goes on to
 * write the logs and the summary), a second one forces (SIGKILL at once). A reader that goes away
 * (`orchestrate ... | head`: EPIPE on stdout) stops the run like a first Ctrl-C and ends it with 141.
 */
import type { Stopper } from '../toolkit';
import { EXIT, type CliIO } from './cli-options';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface SignalHandling {
  /** The signal (or SIGPIPE for a closed stdout) that stopped the run; undefined while none did. */
  readonly stoppedBy: NodeJS.Signals | undefined;
  /** The exit code for `stoppedBy` (128 + its number, as shells report it). */
  exitCode(): number;
  /** Removes the handlers; returns `code`, for `return signals.release(code)`. */
  release(code: number): number;
}

export function installSignals(context: { readonly io: CliIO; readonly stopper: Stopper; running(): number }): SignalHandling {
  const { io, stopper } = context;
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppedBy === undefined) {
      stoppedBy = signal;
      // Nobody can press a key again when the reader went away: say why instead.
      const after = signal === 'SIGPIPE' ? ' (stdout was closed by its reader; the summary goes to the logs only)' : '; again to force';
      io.stderr.write(`\norchestrate: ${signal}: stopping ${context.running()} running process(es)${after}\n`);
      stopper.stop(signal);
      return;
    }
    stopper.stop(signal);
  };
  const onStdoutError = (error: Error): void => {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE' && stoppedBy === undefined) onSignal('SIGPIPE');
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  io.stdout.on?.('error', onStdoutError);
  return {
    get stoppedBy() {
      return stoppedBy;
    },
    exitCode() {
      if (stoppedBy === 'SIGTERM') return EXIT.terminated;
      if (stoppedBy === 'SIGHUP') return EXIT.hangup;
      if (stoppedBy === 'SIGPIPE') return EXIT.brokenPipe;
      return EXIT.interrupted;
    },
    release(code) {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      return code;
    },
  };
}
