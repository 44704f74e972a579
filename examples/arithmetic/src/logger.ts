import winston from 'winston';

/** The programs' logger: JSON lines on stdout with a timestamp, at `level`, carrying `fields`. */
export function createLogger(level: string, fields: Record<string, unknown>): winston.Logger {
  return winston.createLogger({
    level,
    defaultMeta: fields,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
}
