import type * as http from 'node:http';
import { DefaultEndpointer, withBreaker, type BreakerOptions, type Factory, type Instancer } from '@praetor/sdk';
import { retry, RetryError, RoundRobin } from '@praetor/sd-loadbalancer';
import type { Logger } from 'winston';
import { ERROR_CODES, UpstreamError, type ErrorCode } from './errors.js';
import type { CalculateEndpoint } from './http-client.js';
import { ok, router, STATUS_BY_CODE, type Reply } from './http-router.js';
import { CALCULATE_PATH, decodeCalculate } from './http-transport.js';

export interface GatewayOptions {
  /** Most attempts per request, across instances (default 5). */
  retryMax?: number;
  /** One deadline for all attempts of a request (ms, default 10 s). */
  retryTimeoutMs?: number;
  /** Each instance's circuit breaker (the SDK's defaults otherwise). */
  breaker?: BreakerOptions;
}

export const GATEWAY_DEFAULTS = { retryMax: 5, retryTimeoutMs: 10_000 } as const;

function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/**
 * The client side of the service, go-kit style: instancer → DefaultEndpointer (the factory's
 * endpoint per instance, each behind its own circuit breaker) → RoundRobin → retry. A failed
 * attempt (instance gone, refused, reset, 5xx, breaker open, no endpoints) moves to the next
 * instance; the service's own refusals (division by zero…) are answers and are relayed as they
 * are. close() stops following the instancer and closes every endpoint; it does not stop the
 * instancer, which the caller owns.
 */
export class Gateway {
  private readonly log: Logger;
  private readonly endpointer: DefaultEndpointer<CalculateEndpoint>;
  /** The balanced, retried endpoint. */
  readonly calculate: CalculateEndpoint;

  constructor(instancer: Instancer, factory: Factory<CalculateEndpoint>, logger: Logger, opts: GatewayOptions = {}) {
    this.log = logger.child({ component: 'gateway' });
    const max = opts.retryMax ?? GATEWAY_DEFAULTS.retryMax;
    this.endpointer = new DefaultEndpointer(instancer, withBreaker(factory, { ...opts.breaker, logger }), logger);
    this.calculate = retry(new RoundRobin(this.endpointer), {
      max,
      timeoutMs: opts.retryTimeoutMs ?? GATEWAY_DEFAULTS.retryTimeoutMs,
      // A short, growing pause so a moment with no healthy instance does not use up every attempt.
      delayMs: (attempt) => 20 * attempt,
      callback: (attempt, error) => {
        this.log.warn('attempt failed', { attempt, max, error: error.message });
        return { keepTrying: true };
      },
    });
  }

  /** The keys (host:port) of the instances requests are balanced over now, sorted. */
  instances(): string[] {
    return this.endpointer.entries().map((e) => e.instance.key);
  }

  /**
   * - `GET /calculate/{op}/{a}/{b}`: forwarded to an instance; its answer relayed. 503 with
   *   ARITH_ERR_UPSTREAM when no instance answered within the retry budget.
   * - `GET /instances` → `{instances: ["127.0.0.1:9001", …]}`.
   * - `GET /health` → 200.
   */
  handler(): http.RequestListener {
    return router(
      [
        { pattern: CALCULATE_PATH, methods: { GET: (params) => this.forward(params) } },
        { pattern: /^\/instances$/, methods: { GET: () => ok({ instances: this.instances() }) } },
        { pattern: /^\/health$/, methods: { GET: () => ok({ status: 'passing' }) } },
      ],
      this.log,
    );
  }

  private async forward(params: string[]): Promise<Reply> {
    const req = decodeCalculate(params);
    let res;
    try {
      res = await this.calculate(req);
    } catch (err) {
      if (!(err instanceof RetryError)) throw err;
      this.log.error('giving up', { op: req.op, attempts: err.rawErrors.length, error: err.final.message });
      throw new UpstreamError(`no instance answered: ${err.final.message}`);
    }
    if ('result' in res) return ok(res);
    return { status: isErrorCode(res.code) ? STATUS_BY_CODE[res.code] : 502, body: res };
  }

  /** Stops following the instancer and closes every endpoint; safe to call twice. */
  close(): void {
    this.endpointer.close();
  }
}
