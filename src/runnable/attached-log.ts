/**
 * Where a process logs its runs: the sink it was given (a session's), or, with the `logDir`
 * option, a file sink of its own, made on the first run. The process layer never sees either.
 */
import { fileLogSink } from '../logging/file-log-sink';
import type { ProcessLogSink } from '../logging/log-sink';
import type { BaseProcessOptions } from './process-options';

export class AttachedLog {
  private own: ProcessLogSink | undefined;

  constructor(private readonly options: Pick<BaseProcessOptions, 'logSink' | 'logDir' | 'outputGate'>) {}

  /** The sink, or undefined when the process is not logged. */
  sink(): ProcessLogSink | undefined {
    const { logSink, logDir, outputGate } = this.options;
    if (logSink) return logSink;
    if (logDir && !this.own) {
      // No session collects write errors here: each becomes a process warning, once per file.
      this.own = fileLogSink(logDir, {
        outputGate,
        onWriteError: (error) => process.emitWarning(error.message, { type: error.name, code: error.code }),
      });
    }
    return this.own;
  }
}
