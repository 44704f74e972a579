import { defaultLogger } from '../../log/default-logger.js';
import type { Logger } from '../../log/logger.js';
import { FirstAnswer } from '../../internal/first-answer.js';
import type { BackoffOptions } from '../../internal/backoff.js';
import { blockingLoop } from '../../internal/blocking-loop.js';
import type { Listener } from '../event.js';
import { instanceKey, type Instance } from '../instance.js';
import type { Instancer } from '../instancer.js';
import type { ReadyOptions } from '../ready.js';
import { InstanceCache } from '../internal/instance-cache.js';
import type { ServiceEntry } from './api-types.js';
import type { DiscoveryClient } from './client.js';
import { NotReadyError } from './errors.js';

export interface ConsulInstancerOptions {
  /** The service name to watch (`/v1/health/service/NAME`). */
  service: string;
  /** Every tag must match (sent to the server). */
  tags?: string[];
  /** Only instances whose checks all pass (default true, as go-kit). */
  passingOnly?: boolean;
  /** A Consul filter expression (`?filter=`), e.g. `Service.Meta.zone == "b"`. */
  filter?: string;
  /** The datacenter to ask (`?dc=`); default the agent's. */
  dc?: string;
  /** How long each blocking query may wait on the server (ms); default 60 s. */
  waitMs?: number;
  /** Backoff after a failed query: capped, jittered, `{ initialMs: 10, maxMs: 60_000 }` by default. */
  backoff?: BackoffOptions;
  /**
   * At most this many queries a second, with a burst of `burst` (Consul's advice for blocking
   * loops, so a service that changes constantly, or a server that answers at once, cannot spin
   * the loop). Default 10 a second, burst 2.
   */
  rateLimit?: { perSecond: number; burst: number };
}

export type InstancerState = 'syncing' | 'synced' | 'stale' | 'failed' | 'stopped';

/** What an Instancer can say about its own health. */
export interface InstancerStatus {
  state: InstancerState;
  /** The index of the last answer (0 before the first). */
  index: number;
  /** Milliseconds since the last successful answer (undefined before the first). */
  lastContactAgeMs?: number;
  /** Consecutive failures since the last success. */
  retries: number;
  lastError?: string;
}

export const DEFAULT_WAIT_MS = 60_000;

/** The instance a health entry describes: service address, else the node's (go-kit, Prometheus). */
export function toInstance(e: ServiceEntry): Instance {
  const address = e.Service.Address || e.Node.Address;
  const statuses = e.Checks.map((c) => c.Status);
  const status = statuses.includes('critical') ? 'critical' : statuses.includes('warning') ? 'warning' : 'passing';
  return {
    key: instanceKey(address, e.Service.Port),
    address,
    port: e.Service.Port,
    id: e.Service.ID,
    node: e.Node.Node,
    service: e.Service.Service,
    tags: e.Service.Tags ?? [],
    meta: e.Service.Meta ?? {},
    weights: { passing: e.Service.Weights?.Passing ?? 1, warning: e.Service.Weights?.Warning ?? 1 },
    status,
  };
}

/**
 * Watches /v1/health/service/NAME with blocking queries and publishes the full sorted set of
 * instances. It never ends on its own: errors back off (capped, jittered) and retry forever,
 * publishing the error with the last good set. An index of 0 is not trusted (backs off and
 * asks again without one); an index that goes backwards (a restore, another server) resets to 0.
 * Queries are rate limited (10 a second, burst 2, by default).
 * stop() aborts the request in flight.
 */
export class ConsulInstancer implements Instancer {
  private readonly cache = new InstanceCache();
  private readonly abort = new AbortController();
  private readonly log: Logger;
  private st: InstancerStatus = { state: 'syncing', index: 0, retries: 0 };
  private lastContact = 0;
  private last: Instance[] = [];
  private readonly first = new FirstAnswer();
  private readonly done: Promise<void>;

  constructor(
    private readonly client: DiscoveryClient,
    logger: Logger = defaultLogger(),
    private readonly opts: ConsulInstancerOptions,
  ) {
    this.log = logger.child({ component: 'instancer', service: opts.service, tags: opts.tags ?? [] });
    this.done = this.loop();
  }

  private loop(): Promise<void> {
    return blockingLoop<ServiceEntry[]>(
      {
        read: (index, signal) =>
          this.client.healthService(this.opts.service, {
            index,
            waitMs: this.opts.waitMs ?? DEFAULT_WAIT_MS,
            tags: this.opts.tags,
            passing: this.opts.passingOnly ?? true,
            filter: this.opts.filter,
            dc: this.opts.dc,
            signal,
          }),
        onValue: (entries, index) => {
          this.last = entries.map(toInstance);
          this.lastContact = Date.now();
          this.st = { state: 'synced', index, retries: 0 };
          this.cache.update({ instances: this.last });
          this.first.settle();
        },
        onError: (error, retries, delayMs) => {
          this.st = { state: this.lastContact ? 'stale' : 'failed', index: this.st.index, retries, lastError: error.message };
          this.cache.update({ instances: this.last, error });
          this.log.warn('discovery failed; retrying', { error: error.message, retries, delayMs: Math.round(delayMs) });
        },
        onReset: (from, to) => this.log.info('index went backwards; starting over', { from, to }),
      },
      { signal: this.abort.signal, rateLimit: this.opts.rateLimit, backoff: this.opts.backoff },
    );
  }

  register(listener: Listener): void {
    this.cache.register(listener);
  }

  deregister(listener: Listener): void {
    this.cache.deregister(listener);
  }

  /**
   * Resolves once the first answer is in (at once if it already is), so the first call after
   * setup finds the instances. Rejects with a NotReadyError naming the service, the registry
   * and the last error when no answer came within `timeoutMs` (default 10 s), or when stop()
   * came first; the watch itself goes on retrying either way.
   */
  ready(opts: ReadyOptions = {}): Promise<void> {
    return this.first.wait(opts, (why) => this.notReady(`${why}${this.st.lastError ? `; last error: ${this.st.lastError}` : ''}`));
  }

  private notReady(why: string): NotReadyError {
    return new NotReadyError(`service ${JSON.stringify(this.opts.service)}`, this.client.address, why);
  }

  /** The watch's own health: state, index, last contact age, retries. */
  status(): InstancerStatus {
    return { ...this.st, lastContactAgeMs: this.lastContact ? Date.now() - this.lastContact : undefined };
  }

  /** Stops watching and waits for the loop to end; safe to call twice. */
  async stop(): Promise<void> {
    if (!this.abort.signal.aborted) {
      this.abort.abort();
      this.st = { ...this.st, state: 'stopped' };
      this.first.fail(this.notReady('the instancer was stopped before its first answer'));
    }
    await this.done;
  }
}
