import type { Logger } from 'winston';
import { EndpointCache, type EndpointCacheOptions } from './endpoint-cache.js';
import type { EndpointEntry, Endpointer } from './endpointer.js';
import type { Listener } from './event.js';
import type { Factory } from './factory.js';
import type { Instancer } from './instancer.js';

/**
 * Follows an Instancer and keeps endpoints for its instances through a Factory.
 * close() deregisters from the Instancer and closes every endpoint; safe to call twice.
 */
export class DefaultEndpointer<E> implements Endpointer<E> {
  private readonly cache: EndpointCache<E>;
  private readonly listener: Listener;
  private closed = false;

  constructor(
    private readonly instancer: Instancer,
    factory: Factory<E>,
    log: Logger,
    opts: EndpointCacheOptions = {},
  ) {
    this.cache = new EndpointCache(factory, log, opts);
    this.listener = (e) => {
      if (!this.closed) this.cache.update(e);
    };
    instancer.register(this.listener);
  }

  endpoints(): E[] {
    return this.cache.endpoints();
  }

  entries(): EndpointEntry<E>[] {
    return this.cache.entries();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.instancer.deregister(this.listener);
    this.cache.closeAll();
  }
}
