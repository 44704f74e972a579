/**
 * What the SDK shows of a circuit breaker (an opossum CircuitBreaker underneath), so its
 * published types need no @types/opossum: the state, the counts, events and shutdown.
 */
export interface Breaker {
  readonly name: string;
  /** Open: calls fail fast. */
  readonly opened: boolean;
  /** Half-open: one trial call is let through. */
  readonly halfOpen: boolean;
  readonly closed: boolean;
  /** Counts of the rolling window (fires, successes, failures, rejects, timeouts, ...). */
  readonly stats: Record<string, unknown>;
  /** 'open', 'halfOpen', 'close', 'success', 'failure', 'reject', 'timeout', ... */
  on(event: string, listener: (...args: unknown[]) => void): this;
  /** Opens the breaker by hand (until close() or the reset timeout). */
  open(): void;
  close(): void;
  /** Stops the breaker's timers; it fails every call afterwards. */
  shutdown(): void;
}
