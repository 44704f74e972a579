/**
 * Capped exponential backoff with full jitter: after the n-th failure in a row a loop waits a
 * random time up to min(maxMs, initialMs * 2^n), never less than initialMs.
 */
export interface BackoffOptions {
  /** The first pause, and the least one (ms). */
  initialMs?: number;
  /** The longest pause (ms). */
  maxMs?: number;
  /** The jitter's source of randomness, in [0, 1); default Math.random (tests pin it). */
  random?: () => number;
}
