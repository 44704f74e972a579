import type { Etcd3, IKeyValue, IWatchResponse, Watcher } from 'etcd3';
import type { Logger } from 'winston';
import type { Change } from '../../structs/change.js';
import type { StateStore } from '../../state/state-store.js';
import { installState } from '../restore-state.js';
import { EtcdKeys, prefixRange, SPACES } from './etcd-keys.js';
import { emptySide, sideName, stateFromListing, type SideKey } from './etcd-listing.js';
import { decodeValue } from './etcd-values.js';

/** Keys listed per range request while listing (bounded messages, one revision for all). */
const PAGE = 2000;

/**
 * Keeps a StateStore equal to the datacenter's state in etcd: lists the prefix at one revision,
 * then watches it from the next one, applying each revision's events as one commit (so
 * ModifyIndex is the etcd revision on every server). A watch that etcd cancels (its revision
 * was compacted) or that cannot resume is replaced by a new listing. The servers, the election,
 * the session TTL keys, the client members' keys and the restore mark are kept beside the store (`side`).
 */
export class EtcdMirror {
  /** The highest revision whose events (under the prefix) this mirror has applied. */
  seen = 0;
  /** Date.now() of the last answer from etcd (watch or request). */
  lastContact = 0;
  readonly side = emptySide();
  private watcher: Watcher | null = null;
  private waiters: Array<{ revision: number; resolve: () => void }> = [];
  private closed = false;
  private resyncing: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly client: Etcd3,
    private readonly keys: EtcdKeys,
    readonly store: StateStore,
    private readonly log: Logger,
    /** Fault injection for tests: apply each watch answer this long after it arrives (in order). */
    private readonly applyDelayMs = 0,
  ) {}

  /** Lists and starts watching; retries (saying so) until etcd answers. */
  async start(): Promise<void> {
    await this.resync();
  }

  /** Calls `fn` after every change the mirror applied (leadership, session TTLs and servers react). */
  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** Settles once the mirror has applied every event up to `revision`. */
  caughtUp(revision: number): Promise<void> {
    if (this.seen >= revision || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ revision, resolve }));
  }

  close(): void {
    this.closed = true;
    void this.watcher?.cancel();
    this.watcher = null;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  /** Lists the whole prefix again and installs it (first start, compaction, lost watch). */
  private resync(): Promise<void> {
    this.resyncing ??= this.listAndWatch().finally(() => (this.resyncing = null));
    return this.resyncing;
  }

  private async listAndWatch(): Promise<void> {
    void this.watcher?.cancel();
    this.watcher = null;
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        const revision = await this.list();
        await this.watch(revision);
        return;
      } catch (err) {
        const wait = Math.min(5000, 250 * attempt);
        this.log[attempt % 10 === 1 ? 'warn' : 'debug'](`cannot list the state in etcd (${(err as Error).message}); retrying in ${wait} ms (attempt ${attempt}); check that the -etcd-endpoints are up`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** Reads every key under the prefix at one revision into a fresh store and installs it. */
  private async list(): Promise<number> {
    const { key, end } = prefixRange(this.keys.base);
    const all: IKeyValue[] = [];
    let from = key;
    let revision = 0;
    for (;;) {
      const res = await this.client.kv.range({ key: from, range_end: end, limit: PAGE, ...(revision ? { revision } : {}) });
      if (!revision) revision = Number(res.header.revision);
      all.push(...res.kvs);
      if (!res.more || res.kvs.length === 0) break;
      from = Buffer.concat([res.kvs[res.kvs.length - 1]!.key, Buffer.from([0])]);
    }
    this.lastContact = Date.now();
    const { store: fresh, side } = stateFromListing(this.keys, all, revision);
    installState(this.store, fresh);
    Object.assign(this.side, side);
    this.advance(revision);
    this.log.info('mirrored the state from etcd', { revision, keys: all.length });
    this.changed();
    return revision;
  }

  private async watch(afterRevision: number): Promise<void> {
    const watcher = await this.client
      .watch()
      .prefix(this.keys.base)
      .startRevision(String(afterRevision + 1))
      .create();
    if (this.closed) {
      void watcher.cancel();
      return;
    }
    this.watcher = watcher;
    watcher.on('data', (res: IWatchResponse) => {
      if (this.applyDelayMs > 0) setTimeout(() => this.onWatch(watcher, res), this.applyDelayMs);
      else this.onWatch(watcher, res);
    });
    watcher.on('connected', () => (this.lastContact = Date.now()));
    watcher.on('disconnected', (err: Error) => this.log.warn(`lost the watch on etcd (${err.message}); reconnecting`));
    watcher.on('error', (err: Error) => {
      if (this.watcher !== watcher || this.closed) return;
      this.log.warn(`etcd ended the watch (${err.message}); listing the state again`);
      void this.resync();
    });
  }

  private onWatch(watcher: Watcher, res: IWatchResponse): void {
    if (this.watcher !== watcher || this.closed) return;
    this.lastContact = Date.now();
    let i = 0;
    const events = res.events;
    while (i < events.length) {
      const revision = Number(events[i]!.kv.mod_revision);
      const changes: Change[] = [];
      const reaped: string[] = [];
      let side = false;
      for (; i < events.length && Number(events[i]!.kv.mod_revision) === revision; i++) {
        const ev = events[i]!;
        const parts = this.keys.split(ev.kv.key.toString());
        if (!parts) continue;
        const entity = this.keys.parseEntity(parts.space, parts.rest);
        if (entity) {
          changes.push({ t: entity.t, k: entity.k, v: ev.type === 'Put' ? decodeValue(ev.kv.value) : null } as Change);
        } else if (sideName(parts.space)) {
          const map = this.side[sideName(parts.space)!];
          if (ev.type === 'Put') map.set(parts.rest, { value: ev.kv.value, createRevision: Number(ev.kv.create_revision), modRevision: revision, lease: ev.kv.lease });
          else map.delete(parts.rest);
          side = true;
        } else if (parts.space === SPACES.tombstone && ev.type === 'Delete') {
          reaped.push(parts.rest);
        }
      }
      if (revision <= this.seen) continue;
      if (changes.length > 0) this.store.commit(revision, changes);
      // The leader reaped these tombstones (a key written again drops its own in the same commit).
      for (const k of reaped) this.store.kv.reapTombstone(k);
      this.advance(revision);
      if (changes.length > 0 || side) this.changed();
    }
  }

  private advance(revision: number): void {
    if (revision > this.seen) this.seen = revision;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.revision <= this.seen);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.revision > this.seen);
    for (const w of ready) w.resolve();
  }
}

