import winston from 'winston';

/** Consul's log levels onto winston's: trace is winston's silly. */
const LEVELS: Record<string, string> = { trace: 'silly', debug: 'debug', info: 'info', warn: 'warn', error: 'error' };

/**
 * The process logger: Consul-style lines on stderr,
 * `2026-01-01T00:00:00.000Z [INFO]  agent: message: key=value ...`.
 */
export function createLogger(level: string): winston.Logger {
  return winston.createLogger({
    level: LEVELS[level] ?? 'info',
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.printf((info) => {
        const { timestamp, level: lvl, message, component, ...rest } = info as Record<string, unknown>;
        const fields = Object.entries(rest)
          .filter(([k]) => typeof k === 'string')
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        const tag = `[${String(lvl).toUpperCase()}]`.padEnd(7);
        return `${timestamp} ${tag} ${component ?? 'agent'}: ${message}${fields ? `: ${fields}` : ''}`;
      }),
    ),
    transports: [new winston.transports.Console({ stderrLevels: Object.keys(winston.config.npm.levels) })],
  });
}

/** Changes the level of a logger made by createLogger (and of its children) on reload. */
export function setLogLevel(logger: winston.Logger, level: string): void {
  logger.level = LEVELS[level] ?? 'info';
}
