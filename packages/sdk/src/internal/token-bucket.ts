import { sleep } from './backoff.js';

/**
 * A token bucket: `take()` resolves at once while tokens last, then waits for the next one.
 * Refills at `perSecond`, holds at most `burst`.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  async take(signal?: AbortSignal): Promise<void> {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) {
      const waitMs = ((1 - this.tokens) / this.perSecond) * 1000;
      await sleep(waitMs, signal);
      this.tokens = 1;
      this.last = this.now();
    }
    this.tokens -= 1;
  }
}
