import { splitKey, type Change } from '../structs/change.js';
import type { HealthCheck } from '../structs/check.js';
import type { ConfigEntry } from '../structs/config-entry.js';
import type { KvEntry } from '../structs/kv-entry.js';
import type { Node } from '../structs/node.js';
import type { Service } from '../structs/service.js';
import type { Session } from '../structs/session.js';
import { IndexTable } from './index-table.js';

import { CatalogTables } from './tables/catalog.js';
import { ConfigTable } from './tables/config.js';
import { KvTable } from './tables/kv.js';
import { SessionTable } from './tables/sessions.js';
import { WatchHub, WatchSet } from './watch-set.js';

/** What one commit moved: the watch keys to fire and the KV keys for prefix watchers. */
export interface Fired {
  keys: Set<string>;
  kvKeys: string[];
}

/**
 * What readers wait on before they read (set by the backend; see Backend): `fresh` reads must
 * see every write acknowledged before they started (on any server); `stale` ones may answer from
 * what this server has, as long as it is durable.
 */
export interface ReadFence {
  readable(mode: 'fresh' | 'stale'): Promise<void> | null;
}

/**
 * The in-memory state: catalog and KV tables, the index table and the watch hub. Pure and
 * synchronous; it changes only through apply(), which both backends call with the revisioned
 * changes they made durable. Reads go through the query functions in state/queries/.
 */
export class StateStore {
  revision = 0;
  readonly catalog = new CatalogTables();
  readonly kv = new KvTable();
  readonly sessions = new SessionTable();
  readonly configs = new ConfigTable();
  readonly index = new IndexTable();
  readonly watches = new WatchHub();
  /** Set by a backend whose reads may have to wait (see ReadFence). */
  barrier: ReadFence | null = null;

  /**
   * null when a read may run now; else a promise that settles once it may. Client-facing reads
   * call this first, so that nobody sees a write a crash could still lose, and (mode `fresh`,
   * the default) every read sees the writes acknowledged before it started.
   */
  readable(mode: 'fresh' | 'stale' = 'fresh'): Promise<void> | null {
    return this.barrier?.readable(mode) ?? null;
  }

  /**
   * Applies the changes of one revision, stamping CreateIndex/ModifyIndex, and bumps the index
   * keys they touch. Returns what moved; the caller fires it (once the write is durable).
   */
  apply(revision: number, changes: readonly Change[]): Fired {
    if (revision <= this.revision) {
      throw new Error(`revision ${revision} is not after ${this.revision}`);
    }
    const fired: Fired = { keys: new Set(), kvKeys: [] };
    const bump = (key: string) => {
      this.index.bump(key, revision);
      fired.keys.add(key);
    };
    for (const c of changes) {
      switch (c.t) {
        case 'node':
          this.applyNode(c.k, c.v, revision, bump);
          break;
        case 'service':
          this.applyService(c.k, c.v, revision, bump);
          break;
        case 'check':
          this.applyCheck(c.k, c.v, revision, bump);
          break;
        case 'kv':
          this.applyKv(c.k, c.v, revision, bump);
          fired.kvKeys.push(c.k);
          break;
        case 'session':
          this.applySession(c.k, c.v, revision, bump);
          break;
        case 'config':
          this.applyConfig(c.k, c.v, revision, bump);
          break;
        case 'lock-delay':
          if (c.v) this.sessions.lockDelays.set(c.k, c.v.Until);
          else this.sessions.lockDelays.delete(c.k);
          break;
      }
    }
    this.revision = revision;
    return fired;
  }

  /** Applies and fires at once (tests, and replay before anyone is watching). */
  commit(revision: number, changes: readonly Change[]): Fired {
    const fired = this.apply(revision, changes);
    this.fire(fired);
    return fired;
  }

  fire(fired: Fired): void {
    this.watches.fire(fired.keys, fired.kvKeys);
  }

  private applyNode(name: string, v: Omit<Node, 'CreateIndex' | 'ModifyIndex'> | null, rev: number, bump: (k: string) => void): void {
    const old = this.catalog.nodes.get(name);
    if (v) this.catalog.putNode({ ...v, CreateIndex: old?.CreateIndex ?? rev, ModifyIndex: rev } as Node);
    else if (old) this.catalog.deleteNode(name);
    else return;
    bump('nodes');
    bump(`node:${name}`);
    for (const s of this.catalog.nodeServices(name)) bump(`service:${s.Service}`);
  }

  private applyService(key: string, v: Omit<Service, 'CreateIndex' | 'ModifyIndex'> | null, rev: number, bump: (k: string) => void): void {
    const [node, id] = splitKey(key);
    const old = this.catalog.getService(node, id);
    if (v) this.catalog.putService({ ...v, CreateIndex: old?.CreateIndex ?? rev, ModifyIndex: rev } as Service);
    else if (old) this.catalog.deleteService(node, id);
    else return;
    bump('services');
    bump(`node:${node}`);
    if (old) bump(`service:${old.Service}`);
    if (v) bump(`service:${v.Service}`);
  }

  private applyCheck(key: string, v: Omit<HealthCheck, 'CreateIndex' | 'ModifyIndex'> | null, rev: number, bump: (k: string) => void): void {
    const [node, id] = splitKey(key);
    const old = this.catalog.getCheck(node, id);
    if (v) this.catalog.putCheck({ ...v, CreateIndex: old?.CreateIndex ?? rev, ModifyIndex: rev } as HealthCheck);
    else if (old) this.catalog.deleteCheck(node, id);
    else return;
    bump('checks');
    bump(`node:${node}`);
    for (const c of [old, v]) {
      if (!c) continue;
      if (c.ServiceID) bump(`service:${c.ServiceName}`);
      else for (const s of this.catalog.nodeServices(node)) bump(`service:${s.Service}`);
    }
  }

  private applyKv(key: string, v: Omit<KvEntry, 'CreateIndex' | 'ModifyIndex'> | null, rev: number, bump: (k: string) => void): void {
    const old = this.kv.get(key);
    if (v) this.kv.put({ ...v, CreateIndex: old?.CreateIndex ?? rev, ModifyIndex: rev } as KvEntry);
    else if (old) this.kv.delete(key, rev);
    else return;
    bump('kv');
    // Fires `kv:<key>` for readers of the key; the index table keeps no entry for it (index-table.ts).
    bump(`kv:${key}`);
  }

  private applySession(id: string, v: Omit<Session, 'CreateIndex' | 'ModifyIndex'> | null, rev: number, bump: (k: string) => void): void {
    const old = this.sessions.get(id);
    if (v) this.sessions.put({ ...v, CreateIndex: old?.CreateIndex ?? rev, ModifyIndex: rev } as Session);
    else if (old) this.sessions.delete(id);
    else return;
    bump('sessions');
  }

  private applyConfig(key: string, v: Omit<ConfigEntry, 'CreateIndex' | 'ModifyIndex'> | null, rev: number, bump: (k: string) => void): void {
    const old = this.configs.byKey.get(key);
    if (v) this.configs.put({ ...v, CreateIndex: old?.CreateIndex ?? rev, ModifyIndex: rev } as ConfigEntry);
    else if (old) this.configs.delete(key);
    else return;
    bump('config');
    bump(`config:${String((old ?? v)!.Kind)}`);
  }

  /**
   * Restore: takes over every table, the index table and the revision of `other` (whatever
   * tables the store has), keeping this store's watch hub. The caller then abandons the
   * watchers (watches.abandon()) so every blocking query answers from the new state.
   */
  replaceWith(other: StateStore): void {
    const self = this as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(other)) if (key !== 'watches' && key !== 'barrier') self[key] = value;
  }

  /** Runs a read, collecting what it watched. */
  read<T>(query: (store: StateStore, ws: WatchSet) => T): { value: T; ws: WatchSet } {
    const ws = new WatchSet();
    return { value: query(this, ws), ws };
  }
}
