/**
 * One `logDir` sink per directory (and output gate) for the whole host, instead of one per
 * process: what is the same for every process logging there (the directory's check and write
 * probe, the host environment's secrets and their redactor) is done once, by the first process
 * that logs there. Each run still opens its file through the directory, checked again (see
 * `fileLogSink`), and still adds the secrets of its own environment.
 */
import { resolve } from 'node:path';
import { fileLogSink } from '../logging/file-log-sink';
import type { ProcessLogSink } from '../logging/log-sink';
import type { OutputGate } from '../process/buffer/output-gate';

/** Sinks without a gate, by resolved directory. */
const ungated = new Map<string, ProcessLogSink>();
/** Sinks with a gate, by gate, then resolved directory (forgotten with the gate). */
const gated = new WeakMap<OutputGate, Map<string, ProcessLogSink>>();

/** The host's sink for `logDir` (made on first use; throws `LogDirectoryError` like `fileLogSink`). */
export function sharedLogSink(logDir: string, outputGate: OutputGate | undefined): ProcessLogSink {
  const path = resolve(logDir);
  let sinks = ungated;
  if (outputGate) {
    sinks = gated.get(outputGate) ?? new Map();
    gated.set(outputGate, sinks);
  }
  let sink = sinks.get(path);
  if (!sink) {
    // No session collects write errors here: each becomes a process warning, once per file.
    sink = fileLogSink(path, {
      outputGate,
      onWriteError: (error) => process.emitWarning(error.message, { type: error.name, code: error.code }),
    });
    sinks.set(path, sink);
  }
  return sink;
}
