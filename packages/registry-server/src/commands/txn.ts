import { sameEntity } from '../internal/same-entity.js';
import type { StateStore } from '../state/state-store.js';
import type { Change, Table } from '../structs/change.js';
import { ownedKey, splitKey } from '../structs/change.js';
import type { HealthCheck } from '../structs/check.js';
import type { Unindexed } from '../structs/indexed.js';
import type { KvEntry } from '../structs/kv-entry.js';
import type { Node } from '../structs/node.js';
import type { Service } from '../structs/service.js';

type Value<T extends Table> = Extract<Change, { t: T }>['v'];

/**
 * A write transaction: reads see the store plus this transaction's own pending changes, and
 * writes are collected as entity changes. A put equal to what is there already is dropped, so
 * a write that changes nothing bumps nothing. Commands are functions of (Txn, request).
 */
export class Txn {
  private readonly pending = new Map<string, Change>();

  /** The revision the changes committed at, set by the backend; 0 until then or when nothing changed. */
  revision = 0;

  constructor(readonly store: StateStore) {}

  private lookup<T extends Table>(t: T, k: string): Change | undefined {
    return this.pending.get(`${t}\u0001${k}`);
  }

  private read<T extends Table, V>(t: T, k: string, fromStore: () => V | undefined): V | undefined {
    const p = this.lookup(t, k);
    if (p) return (p.v ?? undefined) as V | undefined;
    return fromStore();
  }

  getNode(name: string): Node | undefined {
    return this.read('node', name, () => this.store.catalog.nodes.get(name));
  }

  getService(node: string, id: string): Service | undefined {
    return this.read('service', ownedKey(node, id), () => this.store.catalog.getService(node, id));
  }

  getCheck(node: string, id: string): HealthCheck | undefined {
    return this.read('check', ownedKey(node, id), () => this.store.catalog.getCheck(node, id));
  }

  getKv(key: string): KvEntry | undefined {
    return this.read('kv', key, () => this.store.kv.get(key));
  }

  /** A node's services, pending changes included, sorted by ID. */
  nodeServices(node: string): Service[] {
    return this.owned('service', node, this.store.catalog.nodeServices(node).map((s) => s.ID), (id) => this.getService(node, id));
  }

  /** A node's checks, pending changes included, sorted by check ID. */
  nodeChecks(node: string): HealthCheck[] {
    return this.owned('check', node, this.store.catalog.nodeChecks(node).map((c) => c.CheckID), (id) => this.getCheck(node, id));
  }

  /** KV keys under a prefix, pending changes included, sorted. */
  kvKeys(prefix: string): string[] {
    const keys = new Set<string>();
    for (const e of this.store.kv.withPrefix(prefix)) keys.add(e.Key);
    for (const c of this.pending.values()) if (c.t === 'kv' && c.k.startsWith(prefix)) keys.add(c.k);
    return [...keys].filter((k) => this.getKv(k) !== undefined).sort();
  }

  private owned<V>(t: 'service' | 'check', node: string, stored: string[], get: (id: string) => V | undefined): V[] {
    const ids = new Set(stored);
    const prefix = ownedKey(node, '');
    for (const c of this.pending.values()) if (c.t === t && c.k.startsWith(prefix)) ids.add(c.k.slice(prefix.length));
    return [...ids]
      .sort()
      .map(get)
      .filter((v): v is V => v !== undefined);
  }

  /** Records a put or (with null) a delete; returns whether anything changes. */
  private set<T extends Table>(t: T, k: string, v: Value<T>): boolean {
    const current = this.read(t, k, () => this.fromStore(t, k));
    if (v === null ? current === undefined : current !== undefined && sameEntity(current, v)) return false;
    this.pending.set(`${t}\u0001${k}`, { t, k, v } as Change);
    return true;
  }

  putNode(v: Unindexed<Node>): boolean {
    return this.set('node', v.Node, v);
  }

  putService(v: Unindexed<Service>): boolean {
    return this.set('service', ownedKey(v.Node, v.ID), v);
  }

  putCheck(v: Unindexed<HealthCheck>): boolean {
    return this.set('check', ownedKey(v.Node, v.CheckID), v);
  }

  putKv(v: Unindexed<KvEntry>): boolean {
    return this.set('kv', v.Key, v);
  }

  deleteNode(name: string): boolean {
    return this.set('node', name, null);
  }

  deleteService(node: string, id: string): boolean {
    return this.set('service', ownedKey(node, id), null);
  }

  deleteCheck(node: string, id: string): boolean {
    return this.set('check', ownedKey(node, id), null);
  }

  deleteKv(key: string): boolean {
    return this.set('kv', key, null);
  }

  private fromStore(t: Table, k: string): unknown {
    switch (t) {
      case 'node':
        return this.store.catalog.nodes.get(k);
      case 'kv':
        return this.store.kv.get(k);
      default: {
        const [node, id] = splitKey(k);
        return t === 'service' ? this.store.catalog.getService(node, id) : this.store.catalog.getCheck(node, id);
      }
    }
  }

  changes(): Change[] {
    return [...this.pending.values()];
  }
}
