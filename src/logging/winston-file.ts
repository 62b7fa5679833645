/**
 * The one place that builds winston file loggers: timestamped, levelled lines in a file opened
 * by the caller (0600, through a LogDirectory), and a `close` that resolves once every line is on
 * disk (or the file failed: `onError` has then been told once).
 */
import winston from 'winston';
import { FileTransport, type FileTransportOptions } from './file-transport';

export interface FileLogger {
  readonly logger: winston.Logger;
  /**
   * Writes many lines at once, each already starting with `linePrefix`: one log entry for a
   * whole chunk of output instead of one per line.
   */
  block(level: string, lines: string): void;
  /** Ends the logger; resolves once the file transport has flushed everything. */
  close(): Promise<void>;
}

/** The start of every log line: its time and level. */
export function linePrefix(level: string, at: Date = new Date()): string {
  return `${at.toISOString()} ${level.toUpperCase().padEnd(5)} `;
}

/** Marks an entry whose message is lines already formatted (`block`). */
const FORMATTED = Symbol('rxo.formatted');

const lineFormat = winston.format.printf((info) =>
  info[FORMATTED] ? String(info.message) : `${String(info.timestamp)} ${info.level.toUpperCase().padEnd(5)} ${String(info.message)}`,
);

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
    block(level, lines) {
      logger.log({ level, message: lines, [FORMATTED]: true });
    },
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
    block: () => undefined,
    close: async () => undefined,
  };
}
