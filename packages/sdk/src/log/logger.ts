/** Fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * The logger every SDK class takes: four levels, message first then fields, and child() for
 * fields fixed at construction (`{component, service}`). A winston Logger is one as it is;
 * pino and console fit through pinoLogger() and consoleLogger(). Omitted, a class logs through
 * defaultLogger() (winston, JSON lines on the console).
 */
export interface Logger {
  debug(message: string, fields?: LogFields): unknown;
  info(message: string, fields?: LogFields): unknown;
  warn(message: string, fields?: LogFields): unknown;
  error(message: string, fields?: LogFields): unknown;
  child(fields: LogFields): Logger;
}

/** A Logger that drops everything: for tests, and as a reading of the contract. */
export class FixedLogger implements Logger {
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(): void {}
  child(): Logger {
    return this;
  }
}
