import type { Endpointer, ReadyOptions } from '@praetor/sdk';
import { endpointerReady } from './internal/ready.js';
import { NoEndpointsError, type Balancer } from './balancer.js';
import { pickIndex } from './internal/pick-index.js';

/** A source of numbers in [0, 1), like Math.random; inject a seeded one in tests. */
export type Rng = () => number;

export interface RandomOptions {
  /** Default Math.random. */
  rng?: Rng;
}

/** Picks one of the endpointer's endpoints uniformly at random on each call. Errors: see Balancer. */
export class Random<E> implements Balancer<E> {
  private readonly rng: Rng;

  constructor(
    private readonly endpointer: Endpointer<E>,
    opts: RandomOptions = {},
  ) {
    this.rng = opts.rng ?? Math.random;
  }

  /** Resolves once the endpointer has its first set from discovery (see Endpointer.ready). */
  ready(opts?: ReadyOptions): Promise<void> {
    return endpointerReady(this.endpointer, opts);
  }

  endpoint(): E {
    const endpoints = this.endpointer.endpoints();
    if (endpoints.length === 0) throw new NoEndpointsError();
    return endpoints[pickIndex(this.rng, endpoints.length)];
  }
}
