/**
 * Capped exponential backoff with full jitter: attempt n waits a random time up to
 * min(max, initial * 2^n). Options have named defaults (go-kit's: 10 ms to 1 min).
 */
import type { BackoffOptions } from '../sd/backoff-options.js';

export type { BackoffOptions };

export const DEFAULT_BACKOFF = { initialMs: 10, maxMs: 60_000 } as const;

export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const initial = opts.initialMs ?? DEFAULT_BACKOFF.initialMs;
  const max = opts.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return Math.max(initial, (opts.random ?? Math.random)() * ceiling);
}

/** Resolves after `ms`, or at once when `signal` aborts. The timer never holds the process open. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
