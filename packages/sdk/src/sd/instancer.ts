import type { InstancerEvent, Listener } from './event.js';
import { InstanceCache } from './internal/instance-cache.js';
import type { Instance } from './instance.js';
import type { ReadyOptions } from './ready.js';

/**
 * Watches a source of instances and publishes its full sorted state.
 * - register(): the listener gets the current state (asynchronously, never from inside
 *   register()) and then every change; each listener gets its own copy; duplicates are dropped.
 * - deregister(): no more events for that listener.
 * - stop(): ends the watch (aborting any request in flight); safe to call twice. It may
 *   return a promise that settles once the watch has ended.
 * - ready() (optional): resolves once the first good answer is in (so a caller can wait for
 *   it before its first call, as go-kit's constructors do); rejects on timeout with an error
 *   naming what was watched and where, or when the Instancer stops first.
 */
export interface Instancer {
  register(listener: Listener): void;
  deregister(listener: Listener): void;
  stop(): void | Promise<void>;
  ready?(opts?: ReadyOptions): Promise<void>;
}

/** An Instancer over a fixed list: for tests and for static configuration. */
export class FixedInstancer implements Instancer {
  private readonly cache = new InstanceCache();

  constructor(instances: Instance[]) {
    this.cache.update({ instances });
  }

  register(listener: Listener): void {
    this.cache.register(listener);
  }

  deregister(listener: Listener): void {
    this.cache.deregister(listener);
  }

  stop(): void {}

  /** Always ready: the list is known from the start. */
  async ready(): Promise<void> {}

  /** Replaces the list (tests). */
  set(instances: Instance[], error?: Error): void {
    this.cache.update({ instances, error } as InstancerEvent);
  }
}
