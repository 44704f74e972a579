import type { Logger } from 'winston';
import type { StateStore } from './state-store.js';

export interface TombstoneGcOptions {
  /** How long a KV tombstone is kept (ms); Consul keeps them 15 minutes. */
  ttlMs?: number;
  /** How often to look (ms). */
  intervalMs?: number;
  now?: () => number;
  /**
   * Whether this process reaps KV tombstones itself (the default). With etcd the leader deletes
   * them from etcd and every server forgets them as it sees the deletes; lock delays that ran
   * out are forgotten here either way.
   */
  kvTombstones?: boolean;
}

export const TOMBSTONE_TTL_MS = 15 * 60_000;
export const TOMBSTONE_GC_INTERVAL_MS = 60_000;

/**
 * Reaps KV tombstones once they are older than the TTL (and lock delays that ran out), so a store with many short-lived keys
 * does not grow forever. Every interval it notes the current revision; a tombstone at or below
 * a revision noted more than a TTL ago is forgotten (the KV floor keeps indexes from going
 * backwards). Reaping is bookkeeping: it moves no revision and wakes no watcher.
 */
export class TombstoneGc {
  private readonly marks: Array<{ at: number; revision: number }> = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(
    private readonly store: StateStore,
    private readonly log: Logger,
    private readonly opts: TombstoneGcOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs ?? TOMBSTONE_GC_INTERVAL_MS);
    this.timer.unref();
  }

  /** One look: note the revision, reap what is older than the TTL. Returns how many were reaped. */
  tick(): number {
    const now = this.now();
    this.store.sessions.reapLockDelays(now);
    if (this.opts.kvTombstones === false) return 0;
    // A restore may have moved the revision back: marks above it no longer mean anything.
    if (this.marks.length > 0 && this.marks[this.marks.length - 1]!.revision > this.store.revision) this.marks.length = 0;
    this.marks.push({ at: now, revision: this.store.revision });
    const ttl = this.opts.ttlMs ?? TOMBSTONE_TTL_MS;
    let upTo = -1;
    while (this.marks.length > 0 && now - this.marks[0].at >= ttl) upTo = this.marks.shift()!.revision;
    if (upTo < 0) return 0;
    const reaped = this.store.kv.reapTombstones(upTo);
    if (reaped > 0) this.log.debug('reaped KV tombstones', { reaped, upTo });
    return reaped;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
