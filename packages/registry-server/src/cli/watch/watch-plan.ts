import { isDeepStrictEqual } from 'node:util';
import type { WatchResult } from './watch-types.js';

/** Consul's watch backoff: 5s × failures², at most 3 minutes. */
export const WATCH_RETRY_BASE_MS = 5_000;
export const WATCH_RETRY_MAX_MS = 180_000;

export interface WatchPlanOptions {
  /** Reads the view, blocking until its index passes `last` (0: answer at once). */
  fetch(last: bigint, signal: AbortSignal): Promise<WatchResult>;
  /** Whether indexes only grow; when one goes back, the next read starts over from 0. */
  monotonic: boolean;
  /**
   * Called with the first result and with every result whose data changed, one call at a time.
   * Resolves true to keep watching, false to stop; a rejection stops the plan with that error.
   */
  handler(index: bigint, value: unknown): Promise<boolean>;
  /** Told about each failed read and how long until the next try. */
  onError(err: Error, retryMs: number): void;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/**
 * The loop of `watch`, as Consul's watch plans run it: a blocking read with the last index; an
 * answer whose index did not move, or whose data equals the last data handed over, is dropped
 * (a write elsewhere in the same table moves the index without changing the view); failures
 * back off. run() settles once stop() is called or the handler says stop.
 */
export class WatchPlan {
  private readonly abort = new AbortController();
  private wakeSleep: (() => void) | null = null;

  constructor(private readonly opts: WatchPlanOptions) {}

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  async run(): Promise<void> {
    let last = 0n;
    let lastValue: unknown;
    let delivered = false;
    let failures = 0;
    while (!this.stopped) {
      let res: WatchResult;
      try {
        res = await this.opts.fetch(last, this.abort.signal);
      } catch (err) {
        if (this.stopped) return;
        failures++;
        const retry = Math.min((this.opts.retryBaseMs ?? WATCH_RETRY_BASE_MS) * failures * failures, this.opts.retryMaxMs ?? WATCH_RETRY_MAX_MS);
        this.opts.onError(err as Error, retry);
        await this.sleep(retry);
        continue;
      }
      failures = 0;
      // An index of 0 would make the next read answer at once, forever.
      const index = res.index > 0n ? res.index : 1n;
      if (delivered && index === last) continue;
      last = this.opts.monotonic && index < last ? 0n : index;
      if (delivered && isDeepStrictEqual(res.value, lastValue)) continue;
      delivered = true;
      lastValue = res.value;
      if (this.stopped) return;
      if (!(await this.opts.handler(index, res.value))) {
        this.stop();
        return;
      }
    }
  }

  /** Stops the loop: aborts the read in flight and cuts a backoff short. Safe to call twice. */
  stop(): void {
    this.abort.abort();
    this.wakeSleep?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = done;
    });
  }
}

