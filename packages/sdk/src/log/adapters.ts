import type { LogFields, Logger } from './logger.js';

/** The parts of `console` consoleLogger() writes to (console itself, or any object like it). */
export interface ConsoleLike {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/**
 * A Logger over `console`: each line is the message and, when there are any, the fields as
 * JSON (the child's fixed fields first). `level` drops what is below it (default `info`).
 */
export function consoleLogger(target: ConsoleLike = console, opts: { level?: 'debug' | 'info' | 'warn' | 'error'; fields?: LogFields } = {}): Logger {
  const order = ['debug', 'info', 'warn', 'error'] as const;
  const min = order.indexOf(opts.level ?? 'info');
  const fixed = opts.fields ?? {};
  const line = (level: (typeof order)[number]) => (message: string, fields?: LogFields) => {
    if (order.indexOf(level) < min) return;
    const all = { ...fixed, ...fields };
    if (Object.keys(all).length) target[level](message, JSON.stringify(all));
    else target[level](message);
  };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (fields) => consoleLogger(target, { ...opts, fields: { ...fixed, ...fields } }),
  };
}

/** The parts of a pino logger pinoLogger() uses: pino takes the fields first, then the message. */
export interface PinoLike {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(fields: object): PinoLike;
}

/** A Logger over a pino logger (fields first, message second, as pino wants them). */
export function pinoLogger(pino: PinoLike): Logger {
  return {
    debug: (message, fields) => pino.debug(fields ?? {}, message),
    info: (message, fields) => pino.info(fields ?? {}, message),
    warn: (message, fields) => pino.warn(fields ?? {}, message),
    error: (message, fields) => pino.error(fields ?? {}, message),
    child: (fields) => pinoLogger(pino.child(fields)),
  };
}
