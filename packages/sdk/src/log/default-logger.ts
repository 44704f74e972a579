import winston from 'winston';
import type { Logger } from './logger.js';

let shared: Logger | undefined;

/**
 * The logger of an SDK class given none: one winston logger for the process, JSON lines with a
 * timestamp on the console, at $PRAETOR_LOG_LEVEL (default `info`).
 */
export function defaultLogger(): Logger {
  shared ??= winston.createLogger({
    level: process.env.PRAETOR_LOG_LEVEL || 'info',
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
  return shared;
}
