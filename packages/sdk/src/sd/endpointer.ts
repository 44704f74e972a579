import type { Instance } from './instance.js';
import type { ReadyOptions } from './ready.js';

/** An endpoint with the instance it was made for (balancers read weights and tags from it). */
export interface EndpointEntry<E> {
  instance: Instance;
  endpoint: E;
}

/**
 * The current endpoints of a service, ordered by instance key. The arrays returned may be
 * shared until the next change: read them, do not mutate them.
 * endpoints() throws only when discovery failed and the endpointer was told to stop serving
 * the last good set (invalidateOnError); otherwise it keeps serving what it had ("fail static").
 * ready() (optional) resolves once the first set from discovery is in, and rejects as the
 * Instancer's ready() does (timeout, stopped).
 */
export interface Endpointer<E> {
  endpoints(): E[];
  entries(): EndpointEntry<E>[];
  ready?(opts?: ReadyOptions): Promise<void>;
}

/** An Endpointer over a fixed list: for tests and documentation. */
export class FixedEndpointer<E> implements Endpointer<E> {
  private readonly list: EndpointEntry<E>[];
  private readonly eps: E[];

  constructor(entries: EndpointEntry<E>[]) {
    this.list = [...entries];
    this.eps = this.list.map((e) => e.endpoint);
  }

  endpoints(): E[] {
    return this.eps;
  }

  entries(): EndpointEntry<E>[] {
    return this.list;
  }

  async ready(): Promise<void> {}
}
