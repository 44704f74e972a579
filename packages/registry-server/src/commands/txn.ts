import { sameEntity } from '../internal/same-entity.js';
import type { StateStore } from '../state/state-store.js';
import type { Change, Table } from '../structs/change.js';
import { ownedKey, splitKey } from '../structs/change.js';
import type { HealthCheck } from '../structs/check.js';
import { configKey, type ConfigEntry } from '../structs/config-entry.js';
import type { Unindexed } from '../structs/indexed.js';
import type { KvEntry } from '../structs/kv-entry.js';
import type { Node } from '../structs/node.js';
import type { Service } from '../structs/service.js';
import type { Session } from '../structs/session.js';
import { ReadSet } from './read-set.js';
import { invalidateSessionTx } from './session-invalidate.js';

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

  /** What the command read from the store: its write's preconditions. */
  readonly reads: ReadSet;

  /** `now` (ms since the epoch) is the one clock commands read, for lock delays. */
  constructor(
    readonly store: StateStore,
    readonly now = Date.now(),
  ) {
    this.reads = new ReadSet(store.revision);
  }

  private lookup<T extends Table>(t: T, k: string): Change | undefined {
    return this.pending.get(`${t}\u0001${k}`);
  }

  private read<T extends Exclude<Table, 'lock-delay'>, V extends { ModifyIndex: number }>(t: T, k: string, fromStore: () => V | undefined): V | undefined {
    const p = this.lookup(t, k);
    if (p) return (p.v ?? undefined) as V | undefined;
    const v = fromStore();
    this.reads.entity(t, k, v?.ModifyIndex ?? 0);
    return v;
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

  getSession(id: string): Session | undefined {
    return this.read('session', id, () => this.store.sessions.get(id));
  }

  getConfig(kind: string, name: string): ConfigEntry | undefined {
    return this.read('config', configKey(kind, name), () => this.store.configs.get(kind, name));
  }

  /** Whether a lock delay holds `key` now, pending changes included. */
  lockDelayed(key: string): boolean {
    const p = this.lookup('lock-delay', key);
    if (p) return p.v !== null && (p.v as { Until: number }).Until > this.now;
    this.reads.range({ t: 'lock-delay', key });
    return this.store.sessions.lockDelayed(key, this.now);
  }

  /** Sessions of a node, pending changes included. */
  nodeSessions(node: string): Session[] {
    return this.sessionsWhere(this.store.sessions.ofNode(node), (s) => s.Node === node);
  }

  /** Sessions bound to a check of a node, pending changes included. */
  checkSessions(node: string, checkId: string): Session[] {
    const bound = (s: Session) => s.Node === node && (s.NodeChecks.includes(checkId) || (s.ServiceChecks ?? []).some((c) => c.ID === checkId));
    return this.sessionsWhere(this.store.sessions.ofCheck(node, checkId), bound);
  }

  private sessionsWhere(stored: string[], match: (s: Session) => boolean): Session[] {
    this.reads.range({ t: 'sessions' });
    const ids = new Set(stored);
    for (const c of this.pending.values()) if (c.t === 'session') ids.add(c.k);
    return [...ids]
      .sort()
      .map((id) => this.getSession(id))
      .filter((s): s is Session => s !== undefined && match(s));
  }

  /** Keys locked by a session, pending changes included. */
  kvLockedBy(session: string): string[] {
    this.reads.range({ t: 'session-locks', session });
    const keys = new Set(this.store.kv.lockedBy(session));
    for (const c of this.pending.values()) if (c.t === 'kv') keys.add(c.k);
    return [...keys].filter((k) => this.getKv(k)?.Session === session).sort();
  }

  /** Names of the nodes in the store (without this transaction's changes). */
  nodeNames(): string[] {
    this.reads.range({ t: 'nodes' });
    return [...this.store.catalog.nodes.keys()];
  }

  /** A node's services, pending changes included, sorted by ID. */
  nodeServices(node: string): Service[] {
    this.reads.range({ t: 'node-services', node });
    return this.owned('service', node, this.store.catalog.nodeServices(node).map((s) => s.ID), (id) => this.getService(node, id));
  }

  /** A node's checks, pending changes included, sorted by check ID. */
  nodeChecks(node: string): HealthCheck[] {
    this.reads.range({ t: 'node-checks', node });
    return this.owned('check', node, this.store.catalog.nodeChecks(node).map((c) => c.CheckID), (id) => this.getCheck(node, id));
  }

  /** The config entries of one kind in the store (without this transaction's changes). */
  configsOfKind(kind: string): ConfigEntry[] {
    this.reads.range({ t: 'config-kind', kind });
    return this.store.configs.ofKind(kind);
  }

  /** KV keys under a prefix, pending changes included, sorted. */
  kvKeys(prefix: string): string[] {
    this.reads.range({ t: 'kv-prefix', prefix });
    const keys = new Set<string>();
    for (const e of this.store.kv.withPrefix(prefix)) keys.add(e.Key);
    for (const c of this.pending.values()) if (c.t === 'kv' && c.k.startsWith(prefix)) keys.add(c.k);
    return [...keys].filter((k) => this.getKv(k) !== undefined).sort();
  }

  private owned<V>(t: 'service' | 'check', node: string, stored: string[], get: (id: string) => V | undefined): V[] {
    const ids = new Set(stored);
    for (const c of this.pending.values()) {
      if (c.t !== t) continue;
      const [n, id] = splitKey(c.k);
      if (n === node) ids.add(id);
    }
    return [...ids]
      .sort()
      .map(get)
      .filter((v): v is V => v !== undefined);
  }

  /** Records a put or (with null) a delete; returns whether anything changes. */
  private set<T extends Table>(t: T, k: string, v: Value<T>): boolean {
    const current = t === 'lock-delay' ? this.readLockDelay(k) : this.read(t as Exclude<Table, 'lock-delay'>, k, () => this.fromStore(t, k) as { ModifyIndex: number } | undefined);
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

  /** A check that turns (or is written) critical ends the sessions bound to it. */
  putCheck(v: Unindexed<HealthCheck>): boolean {
    const changed = this.set('check', ownedKey(v.Node, v.CheckID), v);
    if (changed && v.Status === 'critical') for (const s of this.checkSessions(v.Node, v.CheckID)) invalidateSessionTx(this, s);
    return changed;
  }

  putKv(v: Unindexed<KvEntry>): boolean {
    return this.set('kv', v.Key, v);
  }

  putSession(v: Unindexed<Session>): boolean {
    return this.set('session', v.ID, v);
  }

  putConfig(v: Unindexed<ConfigEntry>): boolean {
    return this.set('config', configKey(v.Kind as string, v.Name as string), v);
  }

  deleteConfig(kind: string, name: string): boolean {
    return this.set('config', configKey(kind, name), null);
  }

  /** Holds `key`'s lock back until `until` (ms since the epoch). */
  putLockDelay(key: string, until: number): boolean {
    return this.set('lock-delay', key, { Until: until });
  }

  deleteSession(id: string): boolean {
    return this.set('session', id, null);
  }

  /** Deleting a node ends its sessions. */
  deleteNode(name: string): boolean {
    for (const s of this.nodeSessions(name)) invalidateSessionTx(this, s);
    return this.set('node', name, null);
  }

  deleteService(node: string, id: string): boolean {
    return this.set('service', ownedKey(node, id), null);
  }

  /** Deleting a check ends the sessions bound to it. */
  deleteCheck(node: string, id: string): boolean {
    for (const s of this.checkSessions(node, id)) invalidateSessionTx(this, s);
    return this.set('check', ownedKey(node, id), null);
  }

  deleteKv(key: string): boolean {
    return this.set('kv', key, null);
  }

  private readLockDelay(key: string): unknown {
    const p = this.lookup('lock-delay', key);
    if (p) return p.v ?? undefined;
    this.reads.range({ t: 'lock-delay', key });
    return this.fromStore('lock-delay', key);
  }

  private fromStore(t: Table, k: string): unknown {
    switch (t) {
      case 'node':
        return this.store.catalog.nodes.get(k);
      case 'kv':
        return this.store.kv.get(k);
      case 'session':
        return this.store.sessions.get(k);
      case 'config':
        return this.store.configs.byKey.get(k);
      case 'lock-delay': {
        const until = this.store.sessions.lockDelays.get(k);
        return until === undefined ? undefined : { Until: until };
      }
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
