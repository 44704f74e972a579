import type { QueryResponse } from '../sd/consul/api-types.js';
import { backoffDelay, sleep, type BackoffOptions } from './backoff.js';
import { TokenBucket } from './token-bucket.js';

/** At most `perSecond` reads a second, with bursts of `burst`. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Consul's advice for blocking loops: a changing key or a server that answers at once cannot spin the loop. */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 10, burst: 2 };

/** What the loop does after an answer: read again at the new index, read again from 0, or end. */
export type LoopStep = 'continue' | 'restart' | 'stop';

/** The server answered with an index of 0 or none at all (no X-Consul-Index): it cannot be blocked on. */
export class InsaneIndexError extends Error {
  constructor(index: number) {
    super(`the server answered with index ${index} (no usable X-Consul-Index), which cannot be blocked on`);
    this.name = 'InsaneIndexError';
  }
}

export interface BlockingLoopSpec<T> {
  /** One read at `index` (0: answer at once; otherwise block until it passes `index`). */
  read(index: number, signal: AbortSignal): Promise<QueryResponse<T>>;
  /** An answer to handle; throwing counts as a failure (onError decides). */
  onValue(value: T, index: number): LoopStep | void | Promise<LoopStep | void>;
  /**
   * A failed read, a throwing onValue or an unusable index. Returns how long to pause (ms;
   * default `delayMs`, the capped backoff for `failures`), or 'stop' to end the loop; throwing
   * ends the loop with that error.
   */
  onError(err: Error, failures: number, delayMs: number): number | 'stop' | void | Promise<number | 'stop' | void>;
  /** The index went backwards (a restore, another server): the loop starts over from 0. */
  onReset?(from: number, to: number): void;
}

export interface BlockingLoopOptions {
  /** Ends the loop (also the read and the pause in progress). */
  signal: AbortSignal;
  /** Default DEFAULT_RATE_LIMIT; or a bucket shared with other loops. */
  rateLimit?: RateLimit | TokenBucket;
  backoff?: BackoffOptions;
}

/**
 * The one blocking-query loop of the SDK, with Consul's rules for clients:
 * - each read sends the index of the last answer; the first sends none;
 * - an index of 0 (or a missing X-Consul-Index) is not trusted: it is a failure, the loop backs
 *   off and reads again at the last good index, so a server that never sends the header is
 *   polled with capped backoff instead of in a busy loop;
 * - an index that went backwards is delivered, then the loop starts over from 0;
 * - reads are rate limited (a token bucket), failures back off (capped, jittered) and reset
 *   after a success; nothing ends the loop but `signal`, 'stop', or onError throwing.
 * Resolves when the loop ends; rejects with what onError threw.
 */
export async function blockingLoop<T>(spec: BlockingLoopSpec<T>, opts: BlockingLoopOptions): Promise<void> {
  const { signal } = opts;
  const limit = opts.rateLimit ?? DEFAULT_RATE_LIMIT;
  const bucket = limit instanceof TokenBucket ? limit : new TokenBucket(limit.perSecond, limit.burst);
  let index = 0;
  let failures = 0;
  while (!signal.aborted) {
    try {
      await bucket.take(signal);
      if (signal.aborted) return;
      const res = await spec.read(index, signal);
      if (signal.aborted) return;
      if (!(res.index > 0)) throw new InsaneIndexError(res.index);
      let next = res.index;
      if (res.index < index) {
        spec.onReset?.(index, res.index);
        next = 0;
      }
      failures = 0;
      const step = await spec.onValue(res.value, res.index);
      index = step === 'restart' ? 0 : next;
      if (step === 'stop') return;
    } catch (err) {
      if (signal.aborted) return;
      const delayMs = backoffDelay(failures++, opts.backoff);
      const pause = await spec.onError(err as Error, failures, delayMs);
      if (pause === 'stop') return;
      await sleep(pause ?? delayMs, signal);
    }
  }
}
