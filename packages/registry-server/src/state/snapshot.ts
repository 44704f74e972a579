import type { StateStore } from './state-store.js';
import type { HealthCheck } from '../structs/check.js';
import type { ConfigEntry } from '../structs/config-entry.js';
import type { KvEntry } from '../structs/kv-entry.js';
import type { Node } from '../structs/node.js';
import type { Service } from '../structs/service.js';
import type { Session } from '../structs/session.js';

/** The whole state at one revision, indexes and tombstones included. */
export interface Snapshot {
  revision: number;
  nodes: Node[];
  services: Service[];
  checks: HealthCheck[];
  kv: KvEntry[];
  /** Absent in snapshots from before sessions existed. */
  sessions?: Session[];
  /** Config records (absent in snapshots from before they existed). */
  configs?: ConfigEntry[];
  tombstones: Array<[string, number]>;
  /** The KV floor left by reaped tombstones (absent in snapshots from before reaping existed). */
  kvFloor?: number;
  index: Array<[string, number]>;
}

export function takeSnapshot(store: StateStore): Snapshot {
  const services: Service[] = [];
  for (const m of store.catalog.services.values()) services.push(...m.values());
  const checks: HealthCheck[] = [];
  for (const m of store.catalog.checks.values()) checks.push(...m.values());
  return {
    revision: store.revision,
    nodes: [...store.catalog.nodes.values()],
    services,
    checks,
    kv: [...store.kv.entries.values()],
    sessions: [...store.sessions.byId.values()],
    configs: [...store.configs.byKey.values()],
    tombstones: [...store.kv.tombstones.entries()],
    kvFloor: store.kv.floor,
    index: [...store.index.entries()],
  };
}

/** Loads a snapshot into an empty store. */
export function restoreSnapshot(store: StateStore, snap: Snapshot): void {
  if (store.revision !== 0) throw new Error('restore needs an empty store');
  for (const n of snap.nodes) store.catalog.putNode(n);
  for (const s of snap.services) store.catalog.putService(s);
  for (const c of snap.checks) store.catalog.putCheck(c);
  for (const e of snap.kv) store.kv.put(e);
  for (const s of snap.sessions ?? []) store.sessions.put(s);
  for (const e of snap.configs ?? []) store.configs.put(e);
  for (const [k, r] of snap.tombstones) {
    store.kv.put({ Key: k, Value: null, Flags: 0, LockIndex: 0, CreateIndex: r, ModifyIndex: r });
    store.kv.delete(k, r);
  }
  store.kv.floor = snap.kvFloor ?? 0;
  for (const [k, r] of snap.index) store.index.bump(k, r);
  store.revision = snap.revision;
}
