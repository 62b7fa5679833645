/**
 * The one place that builds winston file loggers (the session's own log; process logs use the
 * same line format through `block-file.ts`): timestamped, levelled lines in a file opened
 * by the caller (0600, through a LogDirectory), and a `close` that resolves once every line is on
 * disk (or the file failed: `onError` has then been told once).
 */
import winston from 'winston';
import { FileTransport, type FileTransportOptions } from './file-transport';

export interface FileLogger {
  readonly logger: winston.Logger;
  /** Ends the logger; resolves once the file transport has flushed everything. */
  close(): Promise<void>;
}

let lastMs = -1;
let lastIso = '';
/** The time as ISO 8601, formatted once per millisecond (a busy log asks many times in one). */
function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** The start of every log line: its time and level. */
export function linePrefix(level: string, at?: Date): string {
  return `${at ? at.toISOString() : isoTime(Date.now())} ${level.toUpperCase().padEnd(5)} `;
}

const lineFormat = winston.format.printf((info) => `${String(info.timestamp)} ${info.level.toUpperCase().padEnd(5)} ${String(info.message)}`);

export function createFileLogger(file: FileTransportOptions): FileLogger {
  const transport = new FileTransport(file);
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.combine(winston.format.timestamp(), lineFormat),
    transports: [transport],
    exitOnError: false,
  });
  // A disk error must not crash the host; the run's result still arrives.
  logger.on('error', () => undefined);
  transport.on('error', () => undefined);
  let closing: Promise<void> | undefined;
  return {
    logger,
    close() {
      closing ??= new Promise<void>((resolveClose) => {
        transport.once('finish', () => resolveClose());
        logger.end();
      });
      return closing;
    },
  };
}

/** A logger that writes nothing (for a log file that could not be opened: the error is reported elsewhere). */
export function discardingLogger(): FileLogger {
  const logger = winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
  return {
    logger,
    close: async () => undefined,
  };
}
