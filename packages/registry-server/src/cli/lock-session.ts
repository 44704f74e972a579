import { parseDuration } from '../internal/duration.js';
import type { ApiClient } from './api-client.js';

/** What `praetor lock` holds: a lock or a semaphore slot. */
export interface Holder {
  /** Waits until held; false when `stop` aborted first. */
  acquire(stop: AbortSignal): Promise<boolean>;
  /** Aborted when what was held is lost. */
  readonly lostSignal: AbortSignal;
  /** Releases and destroys the session; never throws. */
  close(): Promise<void>;
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
export async function createLockSession(api: ApiClient, opts: HolderOptions): Promise<string> {
  const body: Record<string, string> = { Name: opts.sessionName, TTL: opts.sessionTtl, Behavior: 'release' };
  if (opts.lockDelay !== undefined) body.LockDelay = opts.lockDelay;
  return (await api.putJson<{ ID: string }>('/v1/session/create', body)).ID;
}

/** Renews the session every TTL/2; a 404 means it was invalidated, which loses the lock. */
export function renewSession(api: ApiClient, id: () => string, opts: HolderOptions, onLost: (why: string) => void): NodeJS.Timeout {
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
