/**
 * Where a process logs its runs: the sink it was given (a session's), or, with the `logDir`
 * option, the host's file sink for that directory (`shared-log-sinks.ts`), taken on the first
 * run. The process layer never sees either.
 */
import type { ProcessLogSink } from '../logging/log-sink';
import { sharedLogSink } from './shared-log-sinks';
import type { BaseProcessOptions } from './process-options';

export class AttachedLog {
  private own: ProcessLogSink | undefined;

  constructor(private readonly options: Pick<BaseProcessOptions, 'logSink' | 'logDir' | 'outputGate'>) {}

  /** The sink, or undefined when the process is not logged. */
  sink(): ProcessLogSink | undefined {
    const { logSink, logDir, outputGate } = this.options;
    if (logSink) return logSink;
    if (logDir && !this.own) this.own = sharedLogSink(logDir, outputGate);
    return this.own;
  }
}
