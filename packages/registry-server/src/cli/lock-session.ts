import { parseDuration } from '../internal/duration.js';
import type { ApiClient } from './api-client.js';

/**
 * What `praetor lock` holds, a lock or a semaphore slot, through a session: created and renewed
 * here, with the watch that reports the hold lost. Subclasses say how to acquire, how to tell
 * whether one blocking read still shows the hold, and how to release.
 */
export abstract class Holder {
  protected session = '';
  private renewTimer: NodeJS.Timeout | null = null;
  protected readonly lost = new AbortController();

  constructor(
    protected readonly api: ApiClient,
    protected readonly opts: HolderOptions,
  ) {}

  /** Waits until held; false when `stop` aborted first. */
  abstract acquire(stop: AbortSignal): Promise<boolean>;

  /** Releases and destroys the session; never throws. */
  abstract close(): Promise<void>;

  /** Aborted when what was held is lost. */
  get lostSignal(): AbortSignal {
    return this.lost.signal;
  }

  /** Creates the session and renews it every TTL/2; a 404 on renew means it was invalidated. */
  protected async openSession(): Promise<void> {
    this.session = await createLockSession(this.api, this.opts);
    this.renewTimer = renewSession(this.api, () => this.session, this.opts, (why) => this.markLost(why));
  }

  /** Stops renewing and ends the watch; returns whether the hold had been lost before. */
  protected stopHolding(): boolean {
    if (this.renewTimer) clearInterval(this.renewTimer);
    const wasLost = this.lost.signal.aborted;
    this.lost.abort(new Error('released'));
    return wasLost;
  }

  /**
   * Watches with blocking reads until one shows the hold gone, or reads fail more than
   * -monitor-retry times in a row (1s apart). `read` throws on a failed read.
   */
  protected async watch(read: (index: number, signal: AbortSignal) => Promise<{ index: number; held: boolean; why: string }>): Promise<void> {
    let index = 0;
    let failures = 0;
    while (!this.lost.signal.aborted) {
      let r;
      try {
        r = await read(index, this.lost.signal);
      } catch {
        if (this.lost.signal.aborted) return;
        if (++failures > this.opts.monitorRetries) return this.markLost('the agent could not be reached');
        await sleep(1000, this.lost.signal);
        continue;
      }
      failures = 0;
      if (!r.held) return this.markLost(r.why);
      index = r.index;
    }
  }

  protected markLost(why: string): void {
    if (this.lost.signal.aborted) return;
    this.opts.warn?.(`Lock lost: ${why}`);
    this.lost.abort(new Error(why));
  }
}

export interface HolderOptions {
  sessionName: string;
  /** Session TTL, a Go duration (Consul's lock uses 15s). */
  sessionTtl: string;
  /** Session lock-delay; undefined leaves the server default (15s). */
  lockDelay?: string;
  /** Server errors tolerated in a row while watching before the lock counts as lost. */
  monitorRetries: number;
  /** Pause before trying again after an acquire the server refused (lock-delay). */
  retryMs?: number;
  /** Where warnings go (the CLI prints them on stderr). */
  warn?: (message: string) => void;
}

/** Creates the session a lock or semaphore is held with (Behavior release, bound to serfHealth). */
async function createLockSession(api: ApiClient, opts: HolderOptions): Promise<string> {
  const body: Record<string, string> = { Name: opts.sessionName, TTL: opts.sessionTtl, Behavior: 'release' };
  if (opts.lockDelay !== undefined) body.LockDelay = opts.lockDelay;
  return (await api.putJson<{ ID: string }>('/v1/session/create', body)).ID;
}

/** Renews the session every TTL/2; a 404 means it was invalidated, which loses the lock. */
function renewSession(api: ApiClient, id: () => string, opts: HolderOptions, onLost: (why: string) => void): NodeJS.Timeout {
  const timer = setInterval(
    () => {
      void api.request('PUT', `/v1/session/renew/${id()}`).then(
        (r) => {
          if (r.status === 404) onLost('the session was invalidated');
        },
        (err: Error) => opts.warn?.(`session renewal failed: ${err.message}`),
      );
    },
    Math.max(500, parseDuration(opts.sessionTtl) / 2),
  );
  timer.unref();
  return timer;
}

export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
