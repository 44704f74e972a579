import type * as grpc from '@grpc/grpc-js';
import CircuitBreaker from 'opossum';
import type { Logger } from '../log/logger.js';
import type { Breaker } from '../breaker/breaker.js';
import type { GrpcModule } from './grpc-module.js';

export interface GrpcBreakerOptions {
  /** The breaker opens at a failed call when the window holds at least `volumeThreshold` calls and more than this percentage failed; default 50. */
  errorThresholdPercentage?: number;
  /** How long an open breaker fails calls fast before letting one trial call through (ms); default 10 s. */
  resetTimeout?: number;
  /** Calls in the window before the percentage counts; default 5. */
  volumeThreshold?: number;
  /** The rolling window (ms); default 10 s. */
  rollingCountTimeout?: number;
  /** Status names that count as failures; default UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN. Others (NOT_FOUND, ...) are answers. */
  failureCodes?: string[];
  /** A name for logs (the target). */
  name?: string;
  /** Logs the breaker opening (warn), half-opening and closing (info); none by default. */
  logger?: Logger;
}

export const GRPC_BREAKER_DEFAULTS = {
  errorThresholdPercentage: 50,
  resetTimeout: 10_000,
  volumeThreshold: 5,
  rollingCountTimeout: 10_000,
  failureCodes: ['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'INTERNAL', 'UNKNOWN'],
} as const;

/** The interceptor and its breaker (to read its state or shut it down). */
export interface BreakerInterceptor extends grpc.Interceptor {
  breaker: Breaker;
}

/**
 * A client interceptor with one opossum circuit breaker for every call through it: put one on
 * each client of a target (`new Client(target, creds, { interceptors: [i] })`). While the
 * breaker is open, calls fail at once with UNAVAILABLE ("circuit open"), without reaching any
 * server; after `resetTimeout` one trial call goes through, and a success closes it. Deadlines
 * are gRPC's (the breaker sets no timeout of its own). It never writes to the registry.
 */
export function praetorBreakerInterceptor(grpcModule: GrpcModule & Pick<typeof grpc, 'InterceptingCall' | 'Metadata'>, opts: GrpcBreakerOptions = {}): BreakerInterceptor {
  const failures = new Set((opts.failureCodes ?? GRPC_BREAKER_DEFAULTS.failureCodes).map((n) => grpcModule.status[n as keyof typeof grpc.status]));
  const breaker = new CircuitBreaker<[() => Promise<void>], void>((call) => call(), {
    ...GRPC_BREAKER_DEFAULTS,
    ...opts,
    timeout: false,
    name: opts.name,
  });
  if (opts.logger) {
    const log = opts.logger.child({ component: 'grpc-breaker', target: opts.name });
    breaker.on('open', () => log.warn('circuit open: calls fail fast'));
    breaker.on('halfOpen', () => log.info('circuit half-open: trying one call'));
    breaker.on('close', () => log.info('circuit closed'));
  }
  const interceptor = ((options: grpc.InterceptorOptions, nextCall: grpc.NextCall) =>
    new grpcModule.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        let started = false;
        breaker
          .fire(
            () =>
              new Promise<void>((resolve, reject) => {
                started = true;
                next(metadata, {
                  onReceiveStatus(status, nextStatus) {
                    if (failures.has(status.code)) reject(Object.assign(new Error(status.details), { code: status.code }));
                    else resolve();
                    nextStatus(status);
                  },
                });
              }),
          )
          .catch((err: Error) => {
            // Rejected by the breaker itself (open, or half-open with its trial call out): end the call here.
            if (!started) listener.onReceiveStatus({ code: grpcModule.status.UNAVAILABLE, details: `praetor: circuit open${opts.name ? ` for ${opts.name}` : ''}: ${err.message}`, metadata: new grpcModule.Metadata() });
          });
      },
    })) as BreakerInterceptor;
  interceptor.breaker = breaker as unknown as Breaker;
  return interceptor;
}
