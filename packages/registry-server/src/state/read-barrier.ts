import type { ReadFence } from './state-store.js';

/**
 * Keeps readers from seeing a write before it is durable. A durable backend applies a write to
 * the store at once (so that later commands see it) and acknowledges it after its fsync; in
 * between, the store is ahead of the disk. A read that finds the store ahead waits until
 * everything applied is durable, and new writes wait meanwhile (they are held only while
 * readers wait, so readers never starve under a steady write load): the waiting reads then
 * run, all in the same turn of the event loop, before the held writes go on.
 */
export class ReadBarrier implements ReadFence {
  /** The highest revision known to be on disk. */
  private durable: number;
  private readers: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private held: Promise<void> | null = null;
  private release: () => void = () => undefined;
  private failure: Error | null = null;

  constructor(
    /** The store's revision now. */
    private readonly revision: () => number,
  ) {
    this.durable = revision();
  }

  /**
   * null when every applied write is durable (read now); else settles when it is. Both modes
   * wait: with one server, what it has durably is every acknowledged write.
   */
  readable(_mode?: 'fresh' | 'stale'): Promise<void> | null {
    if (this.failure) return Promise.reject(this.failure);
    if (this.revision() <= this.durable) return null;
    if (!this.held) this.held = new Promise<void>((resolve) => (this.release = resolve));
    return new Promise<void>((resolve, reject) => this.readers.push({ resolve, reject }));
  }

  /** What a write waits on before it applies: readers are waiting for the writes before it. */
  writesHeld(): Promise<void> | null {
    return this.held;
  }

  /** A write up to `revision` is on disk. */
  markDurable(revision: number): void {
    if (revision > this.durable) this.durable = revision;
    if (this.revision() > this.durable || !this.held) return;
    const readers = this.readers;
    const release = this.release;
    this.readers = [];
    this.held = null;
    for (const r of readers) r.resolve();
    // The readers resume in microtasks of this turn; held writes go on in the next one.
    setImmediate(release);
  }

  /** The state was replaced by one that is on disk as a whole (a restore). */
  reset(): void {
    this.durable = this.revision();
    this.markDurable(this.durable);
  }

  get failed(): Error | null {
    return this.failure;
  }

  /** The disk failed: what is applied will never be durable, so waiting readers fail. */
  fail(err: Error): void {
    this.failure ??= err;
    const readers = this.readers;
    const release = this.release;
    this.readers = [];
    this.held = null;
    for (const r of readers) r.reject(this.failure);
    setImmediate(release);
  }
}
