import { defaultLogger } from '../log/default-logger.js';
import type { Logger } from '../log/logger.js';
import { FirstAnswer } from '../internal/first-answer.js';
import { EndpointCache, type EndpointCacheOptions } from './endpoint-cache.js';
import type { EndpointEntry, Endpointer } from './endpointer.js';
import type { Listener } from './event.js';
import type { Factory } from './factory.js';
import type { Instancer } from './instancer.js';
import type { ReadyOptions } from './ready.js';

/**
 * Follows an Instancer and keeps endpoints for its instances through a Factory.
 * close() deregisters from the Instancer and closes every endpoint; safe to call twice.
 */
export class DefaultEndpointer<E> implements Endpointer<E> {
  private readonly cache: EndpointCache<E>;
  private readonly listener: Listener;
  private closed = false;
  private readonly first = new FirstAnswer();

  constructor(
    private readonly instancer: Instancer,
    factory: Factory<E>,
    log: Logger = defaultLogger(),
    opts: EndpointCacheOptions = {},
  ) {
    this.cache = new EndpointCache(factory, log, opts);
    this.listener = (e) => {
      if (this.closed) return;
      this.cache.update(e);
      if (!e.error) this.first.settle();
    };
    instancer.register(this.listener);
  }

  endpoints(): E[] {
    return this.cache.endpoints();
  }

  entries(): EndpointEntry<E>[] {
    return this.cache.entries();
  }

  /**
   * Resolves once the first set from discovery is in (endpoints made), so the first call after
   * setup has endpoints to pick from. Rejects with the Instancer's own NotReadyError (naming the
   * service and the registry) when it has ready() and no answer came within `timeoutMs`, or with
   * a plainer one otherwise; also when close() came first.
   */
  async ready(opts: ReadyOptions = {}): Promise<void> {
    const own = this.first.wait(opts, (why) => new Error(`no set of instances from discovery: ${why}`));
    own.catch(() => {});
    await this.instancer.ready?.(opts);
    await own;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.first.fail(new Error('the endpointer was closed before its first set'));
    this.instancer.deregister(this.listener);
    this.cache.closeAll();
  }
}
