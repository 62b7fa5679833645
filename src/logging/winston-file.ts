/**
 * The one place that builds winston file loggers: timestamped, levelled lines in a file created
 * with mode 0600, and a `close` that resolves once every line is on disk.
 */
import winston from 'winston';

export interface FileLogger {
  readonly logger: winston.Logger;
  /** Ends the logger; resolves once the file transport has flushed everything. */
  close(): Promise<void>;
}

const lineFormat = winston.format.printf(
  ({ timestamp, level, message }) => `${String(timestamp)} ${level.toUpperCase().padEnd(5)} ${String(message)}`,
);

export function createFileLogger(filename: string): FileLogger {
  const transport = new winston.transports.File({
    filename,
    options: { flags: 'a', mode: 0o600 },
  });
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
