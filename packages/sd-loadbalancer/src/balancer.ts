import type { ReadyOptions } from '@praetor/sdk';

/**
 * A Balancer picks one endpoint of a service for one call.
 *
 * endpoint():
 * - returns one of the endpointer's current endpoints, by the balancer's heuristic;
 * - throws NoEndpointsError when there is none to pick (the list is empty, or every endpoint
 *   is excluded, e.g. all weights are 0);
 * - lets the endpointer's own error through unchanged when discovery failed and the
 *   endpointer stopped serving the last good set (invalidateOnError): stale endpoints are
 *   served, invalid ones are an error.
 *
 * It is synchronous and cheap (no I/O, no timers), so it is called once per request, and it
 * reads the endpointer on every call, so endpoints that come and go are seen at once.
 *
 * ready() (optional) resolves once the endpointer has its first set from discovery; retry()
 * awaits it before the first attempt, so a call made right after setup does not fail with
 * NoEndpointsError while the first answer is still on its way.
 */
export interface Balancer<E> {
  endpoint(): E;
  ready?(opts?: ReadyOptions): Promise<void>;
}

/** There was no endpoint to pick. Stable code: PRAETOR_ERR_NO_ENDPOINTS. */
export class NoEndpointsError extends Error {
  readonly code = 'PRAETOR_ERR_NO_ENDPOINTS';

  constructor(message = 'no endpoints available') {
    super(message);
    this.name = new.target.name;
  }
}

/** A Balancer that always returns the one endpoint it was given: for tests and documentation. */
export class FixedBalancer<E> implements Balancer<E> {
  constructor(private readonly fixed: E) {}

  endpoint(): E {
    return this.fixed;
  }
}
