import type { Endpointer, ReadyOptions } from '@praetor/sdk';
import { endpointerReady } from './internal/ready.js';
import { NoEndpointsError, type Balancer } from './balancer.js';
import type { Rng } from './random.js';

export interface RoundRobinOptions {
  /** Source of the random starting offset. Default Math.random. */
  rng?: Rng;
}

/**
 * Returns the endpointer's endpoints in turn. It starts at a random offset, so clients that
 * start together do not all hit the first instance first; then it steps by one, modulo the
 * number of endpoints at the time of each call, so a list that grows or shrinks is followed
 * at once. Errors: see Balancer.
 */
export class RoundRobin<E> implements Balancer<E> {
  /** Position of the next pick; at most the endpoint count after a pick, so it never overflows. */
  private next: number;

  constructor(
    private readonly endpointer: Endpointer<E>,
    opts: RoundRobinOptions = {},
  ) {
    this.next = Math.floor((opts.rng ?? Math.random)() * 0x100000000);
  }

  /** Resolves once the endpointer has its first set from discovery (see Endpointer.ready). */
  ready(opts?: ReadyOptions): Promise<void> {
    return endpointerReady(this.endpointer, opts);
  }

  endpoint(): E {
    const endpoints = this.endpointer.endpoints();
    if (endpoints.length === 0) throw new NoEndpointsError();
    const i = this.next % endpoints.length;
    this.next = i + 1;
    return endpoints[i];
  }
}
