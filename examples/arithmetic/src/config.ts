import { parseArgs } from 'node:util';

/** Where the registry's HTTP API is when neither --registry nor $PRAETOR_HTTP_ADDR says. */
export const DEFAULT_REGISTRY = 'http://127.0.0.1:8500';
export const DEFAULT_SERVICE_PORT = 8080;
export const DEFAULT_GATEWAY_PORT = 8000;
export const SERVICE_NAME = 'arithmetic';
/** Both programs listen on loopback only, and the service registers this address. */
export const HOST = '127.0.0.1';
const LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

type Env = Record<string, string | undefined>;

export interface ServiceConfig {
  port: number;
  /** The registry's service ID. */
  id: string;
  registry: string;
  logLevel: string;
  /** How long to stay in maintenance before draining, so watchers see it (ms). */
  propagationMs?: number;
}

export interface GatewayConfig {
  port: number;
  registry: string;
  /** The service to discover. */
  service: string;
  logLevel: string;
  retryMax?: number;
  retryTimeoutMs?: number;
}

function integer(name: string, text: string, min: number, max: number): number {
  const v = Number(text);
  if (!/^\d+$/.test(text) || v < min || v > max) throw new Error(`${name}: ${JSON.stringify(text)} is not an integer in [${min}, ${max}]`);
  return v;
}

function level(text: string): string {
  if (!LEVELS.includes(text)) throw new Error(`--log-level: ${JSON.stringify(text)} is not one of ${LEVELS.join(', ')}`);
  return text;
}

/** `--port --id --registry --log-level --propagation-ms`, else $PORT $ARITH_ID $PRAETOR_HTTP_ADDR $LOG_LEVEL. Throws on bad input. */
export function serviceConfig(argv: string[], env: Env): ServiceConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      id: { type: 'string' },
      registry: { type: 'string' },
      'log-level': { type: 'string' },
      'propagation-ms': { type: 'string' },
    },
  });
  const port = integer('--port', values.port ?? env.PORT ?? String(DEFAULT_SERVICE_PORT), 1, 65535);
  return {
    port,
    id: values.id ?? env.ARITH_ID ?? `${SERVICE_NAME}-${port}`,
    registry: values.registry ?? env.PRAETOR_HTTP_ADDR ?? DEFAULT_REGISTRY,
    logLevel: level(values['log-level'] ?? env.LOG_LEVEL ?? 'info'),
    propagationMs: values['propagation-ms'] !== undefined ? integer('--propagation-ms', values['propagation-ms'], 0, 600_000) : undefined,
  };
}

/** `--port --registry --service --log-level --retry-max --retry-timeout-ms`, else $GATEWAY_PORT $PRAETOR_HTTP_ADDR $LOG_LEVEL. */
export function gatewayConfig(argv: string[], env: Env): GatewayConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      registry: { type: 'string' },
      service: { type: 'string' },
      'log-level': { type: 'string' },
      'retry-max': { type: 'string' },
      'retry-timeout-ms': { type: 'string' },
    },
  });
  const opt = (name: string, v: string | undefined, min: number, max: number) => (v !== undefined ? integer(name, v, min, max) : undefined);
  return {
    port: integer('--port', values.port ?? env.GATEWAY_PORT ?? String(DEFAULT_GATEWAY_PORT), 1, 65535),
    registry: values.registry ?? env.PRAETOR_HTTP_ADDR ?? DEFAULT_REGISTRY,
    service: values.service ?? SERVICE_NAME,
    logLevel: level(values['log-level'] ?? env.LOG_LEVEL ?? 'info'),
    retryMax: opt('--retry-max', values['retry-max'], 1, 100),
    retryTimeoutMs: opt('--retry-timeout-ms', values['retry-timeout-ms'], 1, 600_000),
  };
}
