import type { Endpointer, ReadyOptions } from '@praetor/sdk';

/** A balancer's ready(): its endpointer's, or at once for an endpointer without one. */
export function endpointerReady(endpointer: Endpointer<unknown>, opts?: ReadyOptions): Promise<void> {
  return endpointer.ready?.(opts) ?? Promise.resolve();
}
