/**
 * Logging a Runnable the session did not build: its runs go through the session's log sink (a
 * full log per process, a job-log line, the live-process record), as if `createCommand` or
 * `createProcess` had made it. What the log header says comes from the Runnable's `spec()` when it
 * has one; a Runnable without a spec is logged under its id alone.
 */
import { secretValues } from '../logging/redact';
import { logEvents, type ProcessLogSink, type RunLogHeader } from '../logging/log-sink';
import type { RunSpec } from '../process/spec';
import type { Runnable } from '../process/types';
import { hasSpec } from '../runnable/from-spec';

/** The log header for a Runnable: its command line and directory from its spec, when it has one. */
function headerOf(runnable: Runnable, cwd: string): RunLogHeader {
  const spec = (hasSpec(runnable) ? runnable.spec() : undefined) as (RunSpec & Record<string, unknown>) | undefined;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const args = Array.isArray(spec?.args) ? spec.args.filter((arg): arg is string => typeof arg === 'string') : [];
  return {
    processId: runnable.processId,
    command: text(spec?.command) ?? (spec ? `(${spec.kind})` : '(runnable)'),
    args,
    cwd: spec?.cwd ?? cwd,
    prompt: text(spec?.prompt),
    terminal: Boolean(spec?.terminal),
    secrets: spec?.env ? secretValues(spec.env) : [],
  };
}

/** The Runnable with every run logged to `sink` (its `spec()` kept, so plans still record it). */
export function withSessionLog(runnable: Runnable, sink: ProcessLogSink, cwd: string): Runnable {
  const logged: Runnable & { spec?: () => unknown } = {
    processId: runnable.processId,
    events: (options) => runnable.events(options).pipe(logEvents(sink, headerOf(runnable, cwd))),
  };
  if (hasSpec(runnable)) logged.spec = () => runnable.spec();
  return logged;
}
