/**
 * The one place that builds winston file loggers: timestamped, levelled lines in a file created
 * with mode 0600, and a `close` that resolves once every line is on disk.
 */
import winston from 'winston';
import { FileTransport } from './file-transport';

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

export function createFileLogger(filename: string): FileLogger {
  const transport = new FileTransport(filename);
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
