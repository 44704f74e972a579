import type { Logger } from '../log/logger.js';
import type { InstancerEvent } from './event.js';
import type { EndpointEntry } from './endpointer.js';
import type { Factory, FactoryResult } from './factory.js';

export interface EndpointCacheOptions {
  /**
   * After a discovery error, keep serving the last endpoints for this long (ms), then close them
   * and make endpoints() throw the error. Unset: serve them until discovery recovers (go-kit's default).
   */
  invalidateOnError?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Endpoints by instance key: makes endpoints only for new instances, keeps those that stay,
 * closes those that left, and skips an instance whose factory throws.
 */
export class EndpointCache<E> {
  private readonly cache = new Map<string, EndpointEntry<E> & { close?: FactoryResult<E>['close'] }>();
  private ordered: EndpointEntry<E>[] = [];
  private orderedEndpoints: E[] = [];
  private err: Error | null = null;
  private invalidateAt = 0;
  private readonly now: () => number;

  constructor(
    private readonly factory: Factory<E>,
    private readonly log: Logger,
    private readonly opts: EndpointCacheOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  update(event: InstancerEvent): void {
    if (event.error) {
      this.log.warn('service discovery failed; keeping the last endpoints', { error: event.error.message });
      if (this.opts.invalidateOnError !== undefined && !this.err) {
        this.err = event.error;
        this.invalidateAt = this.now() + this.opts.invalidateOnError;
      }
      return;
    }
    this.err = null;
    const next = new Map<string, EndpointEntry<E> & { close?: FactoryResult<E>['close'] }>();
    for (const instance of event.instances) {
      const key = `${instance.key}\u0000${instance.id}`;
      const had = this.cache.get(key);
      if (had) {
        next.set(key, { ...had, instance });
        continue;
      }
      try {
        const made = this.factory(instance);
        next.set(key, { instance, endpoint: made.endpoint, close: made.close });
      } catch (e) {
        this.log.warn('endpoint factory failed; skipping the instance', { instance: instance.key, error: (e as Error).message });
      }
    }
    for (const [key, old] of this.cache) if (!next.has(key)) void this.closeOne(old.close, old.instance.key);
    this.cache.clear();
    for (const [k, v] of next) this.cache.set(k, v);
    this.ordered = [...next.values()].map(({ instance, endpoint }) => ({ instance, endpoint }));
    this.orderedEndpoints = this.ordered.map((e) => e.endpoint);
  }

  private async closeOne(close: FactoryResult<E>['close'], key: string): Promise<void> {
    try {
      await close?.();
    } catch (e) {
      this.log.warn('closing an endpoint failed', { instance: key, error: (e as Error).message });
    }
  }

  /** The entries in instance order; the same array until the next change (do not mutate it). */
  entries(): EndpointEntry<E>[] {
    this.checkInvalidated();
    return this.ordered;
  }

  /** The endpoints in instance order; the same array until the next change (do not mutate it). */
  endpoints(): E[] {
    this.checkInvalidated();
    return this.orderedEndpoints;
  }

  private checkInvalidated(): void {
    if (this.err && this.now() >= this.invalidateAt) {
      if (this.cache.size > 0) this.closeAll();
      throw this.err;
    }
  }

  closeAll(): void {
    for (const e of this.cache.values()) void this.closeOne(e.close, e.instance.key);
    this.cache.clear();
    this.ordered = [];
    this.orderedEndpoints = [];
  }
}
