import CircuitBreaker from 'opossum';
import type { Logger } from '../log/logger.js';
import type { Endpoint, Factory } from '../sd/factory.js';
import type { Breaker } from './breaker.js';

export interface BreakerOptions {
  /** Per-call timeout (ms); default 3 s. false turns it off. */
  timeout?: number | false;
  /**
   * The breaker opens at a failed call when the rolling window holds at least `volumeThreshold`
   * calls and more than this percentage of them failed (timeouts count as failures); default 50.
   */
  errorThresholdPercentage?: number;
  /** How long an open breaker waits before letting one trial call through (ms); default 10 s. */
  resetTimeout?: number;
  /** Calls the rolling window must hold before the percentage counts; default 5. */
  volumeThreshold?: number;
  /** The rolling window (ms); default 10 s. */
  rollingCountTimeout?: number;
  /** Errors for which this returns true do not count as failures (e.g. a 4xx the caller caused). */
  errorFilter?: (err: Error) => boolean;
}

export const BREAKER_DEFAULTS = { timeout: 3000, errorThresholdPercentage: 50, resetTimeout: 10_000, volumeThreshold: 5, rollingCountTimeout: 10_000 } as const;

export interface BrokenEndpoint<Req, Res> extends Endpoint<Req, Res> {
  breaker: Breaker;
}

/**
 * Circuit breaking as endpoint middleware (opossum): calls through a breaker; while it is open
 * calls fail at once with an error whose code is 'EOPENBREAKER', so a retrying balancer moves to
 * another endpoint. Passive outlier state only: it never writes to the registry. After
 * resetTimeout one trial call is let through (half-open); a success closes the breaker again.
 */
export function circuitBreaker<Req, Res>(endpoint: Endpoint<Req, Res>, opts: BreakerOptions & { name?: string; logger?: Logger } = {}): BrokenEndpoint<Req, Res> {
  const breaker = new CircuitBreaker<[Req, AbortSignal | undefined], Res>((req, signal) => endpoint(req, signal), {
    ...BREAKER_DEFAULTS,
    ...opts,
    name: opts.name,
  });
  if (opts.logger) {
    const log = opts.logger.child({ component: 'breaker', endpoint: opts.name });
    breaker.on('open', () => log.warn('circuit open: calls fail fast'));
    breaker.on('halfOpen', () => log.info('circuit half-open: trying one call'));
    breaker.on('close', () => log.info('circuit closed'));
  }
  const wrapped = ((req: Req, signal?: AbortSignal) => breaker.fire(req, signal)) as BrokenEndpoint<Req, Res>;
  wrapped.breaker = breaker as unknown as Breaker;
  return wrapped;
}

/** Wraps a Factory so every instance's endpoint gets its own breaker, shut down when the instance leaves. */
export function withBreaker<Req, Res>(factory: Factory<Endpoint<Req, Res>>, opts: BreakerOptions & { logger?: Logger } = {}): Factory<Endpoint<Req, Res>> {
  return (instance) => {
    const made = factory(instance);
    const endpoint = circuitBreaker(made.endpoint, { ...opts, name: instance.key });
    return {
      endpoint,
      close: async () => {
        endpoint.breaker.shutdown();
        await made.close?.();
      },
    };
  };
}
