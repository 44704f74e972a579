import type { KvEntry } from '../../structs/kv-entry.js';
import { SortedKeys } from './sorted-keys.js';

/**
 * The KV table: entries by key, kept in key order for prefix reads, and tombstones (the
 * revision at which a key was deleted) so a prefix's index never goes backwards after a delete.
 */
export class KvTable {
  readonly entries = new Map<string, KvEntry>();
  private readonly order = new SortedKeys();
  readonly tombstones = new Map<string, number>();
  private tombstoneOrder = new SortedKeys();
  /**
   * The highest delete revision whose tombstone was reaped. KV indexes never report less for a
   * prefix or a missing key, so reaping never makes an index go backwards.
   */
  floor = 0;
  /** Keys locked by each session. */
  private readonly locks = new Map<string, Set<string>>();

  get(key: string): KvEntry | undefined {
    return this.entries.get(key);
  }

  put(entry: KvEntry): void {
    const old = this.entries.get(entry.Key);
    if (!old) this.order.insert(entry.Key);
    else this.unlock(old);
    this.entries.set(entry.Key, entry);
    if (entry.Session) {
      let keys = this.locks.get(entry.Session);
      if (!keys) this.locks.set(entry.Session, (keys = new Set()));
      keys.add(entry.Key);
    }
    if (this.tombstones.delete(entry.Key)) this.tombstoneOrder.delete(entry.Key);
  }

  delete(key: string, revision: number): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.unlock(old);
    this.order.delete(key);
    if (!this.tombstones.has(key)) this.tombstoneOrder.insert(key);
    this.tombstones.set(key, revision);
  }

  private unlock(e: KvEntry): void {
    if (!e.Session) return;
    const keys = this.locks.get(e.Session);
    keys?.delete(e.Key);
    if (keys?.size === 0) this.locks.delete(e.Session);
  }

  /** The keys a session holds locked. */
  lockedBy(session: string): string[] {
    return [...(this.locks.get(session) ?? [])];
  }

  *withPrefix(prefix: string): Generator<KvEntry> {
    for (const k of this.order.withPrefix(prefix)) yield this.entries.get(k)!;
  }

  /** The highest ModifyIndex or delete revision under `prefix`, and never below the floor (0 if there is none). */
  prefixIndex(prefix: string): number {
    let max = 0;
    for (const e of this.withPrefix(prefix)) if (e.ModifyIndex > max) max = e.ModifyIndex;
    for (const k of this.tombstoneOrder.withPrefix(prefix)) {
      const r = this.tombstones.get(k)!;
      if (r > max) max = r;
    }
    return Math.max(max, this.floor);
  }

  /** The index of one key: its ModifyIndex, or the revision that deleted it, else the floor (0 if nothing was reaped). */
  keyIndex(key: string): number {
    return this.entries.get(key)?.ModifyIndex ?? this.tombstones.get(key) ?? this.floor;
  }

  /** Forgets tombstones of deletes at or before `revision`, raising the floor; returns how many. */
  /** Forgets one key's tombstone (raising the floor to it); whether there was one. */
  reapTombstone(key: string): boolean {
    const r = this.tombstones.get(key);
    if (r === undefined) return false;
    this.tombstones.delete(key);
    this.tombstoneOrder.delete(key);
    if (r > this.floor) this.floor = r;
    return true;
  }

  reapTombstones(revision: number): number {
    let reaped = 0;
    for (const [k, r] of this.tombstones) {
      if (r > revision) continue;
      this.tombstones.delete(k);
      if (r > this.floor) this.floor = r;
      reaped++;
    }
    if (reaped > 0) {
      this.tombstoneOrder = new SortedKeys();
      for (const k of this.tombstones.keys()) this.tombstoneOrder.insert(k);
    }
    return reaped;
  }

  get size(): number {
    return this.entries.size;
  }
}
