import type { Endpoint, Endpointer, ReadyOptions } from '@praetor/sdk';
import { endpointerReady } from './internal/ready.js';
import { NoEndpointsError, type Balancer } from './balancer.js';
import { pickIndex } from './internal/pick-index.js';
import type { Rng } from './random.js';

export interface LeastPendingOptions {
  /** Chooses the two candidates. Default Math.random. */
  rng?: Rng;
}

interface Tracked<Req, Res> {
  pending: number;
  wrapped: Endpoint<Req, Res>;
}

/**
 * "Power of two choices": picks two different endpoints at random and returns the one with
 * fewer calls in flight (the first of the two on a tie); with one endpoint, returns it.
 *
 * To know when a call ends, it works on promise-returning endpoints (`Endpoint` of
 * @praetor/sdk) and returns them wrapped: a call through the returned function counts as in
 * flight from the moment it is made until its promise settles (or it throws). Only calls
 * made through functions this balancer returned are counted; picking an endpoint and not
 * calling it counts nothing. The same endpoint always comes back as the same wrapper, and the
 * counts are held weakly, by endpoint, so they survive list changes and go away with the
 * endpoint.
 *
 * Errors: see Balancer.
 */
export class LeastPending<Req = unknown, Res = unknown> implements Balancer<Endpoint<Req, Res>> {
  private readonly tracked = new WeakMap<Endpoint<Req, Res>, Tracked<Req, Res>>();
  private readonly rng: Rng;

  constructor(
    private readonly endpointer: Endpointer<Endpoint<Req, Res>>,
    opts: LeastPendingOptions = {},
  ) {
    this.rng = opts.rng ?? Math.random;
  }

  /** Resolves once the endpointer has its first set from discovery (see Endpointer.ready). */
  ready(opts?: ReadyOptions): Promise<void> {
    return endpointerReady(this.endpointer, opts);
  }

  endpoint(): Endpoint<Req, Res> {
    const endpoints = this.endpointer.endpoints();
    const n = endpoints.length;
    if (n === 0) throw new NoEndpointsError();
    if (n === 1) return this.track(endpoints[0]).wrapped;
    const i = pickIndex(this.rng, n);
    let j = pickIndex(this.rng, n - 1);
    if (j >= i) j++;
    const a = this.track(endpoints[i]);
    const b = this.track(endpoints[j]);
    return (b.pending < a.pending ? b : a).wrapped;
  }

  /** Calls in flight through `endpoint` (the original, not the wrapper); for tests and metrics. */
  pending(endpoint: Endpoint<Req, Res>): number {
    return this.tracked.get(endpoint)?.pending ?? 0;
  }

  private track(endpoint: Endpoint<Req, Res>): Tracked<Req, Res> {
    const t = this.tracked.get(endpoint);
    if (t) return t;
    const tracked: Tracked<Req, Res> = {
      pending: 0,
      wrapped: async (request, signal) => {
        tracked.pending++;
        try {
          return await endpoint(request, signal);
        } finally {
          tracked.pending--;
        }
      },
    };
    this.tracked.set(endpoint, tracked);
    return tracked;
  }
}
