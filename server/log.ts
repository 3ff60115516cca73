/**
 * Logging through pino: JSON lines (one object per event, ISO time) when stdout is not a
 * terminal, pino-pretty when a person is watching. Request and job logs are child loggers that
 * carry the request id and actor.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface LoggerOptions {
  /** Default: pretty when stdout is a TTY. */
  pretty?: boolean;
  /** Where JSON lines go (tests); default stdout. */
  destination?: DestinationStream;
}

export function createLogger(level: LogLevel = 'info', opts: LoggerOptions = {}): Logger {
  const base = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime, serializers: { err: pino.stdSerializers.err } };
  if (opts.pretty ?? (!opts.destination && process.stdout.isTTY)) {
    // In-process stream (no worker thread): lines appear in order with progress output.
    return pino(base, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true }));
  }
  return opts.destination ? pino(base, opts.destination) : pino(base);
}

/** A progress line ("seeding 25/200"): rewritten in place on a terminal, an info line otherwise. */
export function progress(log: Logger, message: string): void {
  if (!log.isLevelEnabled('info')) return;
  if (process.stdout.isTTY) process.stdout.write(`\r${message}   `);
  else log.info(message);
}

/** End a run of in-place progress lines so the next log line starts on its own. */
export function progressDone(): void {
  if (process.stdout.isTTY) process.stdout.write('\n');
}
