import { splitKey, type Table } from '../structs/change.js';
import type { StateStore } from './state-store.js';

/**
 * Fills the index table from the entities' own ModifyIndex, as apply() would have moved it when
 * each was last written: for a store rebuilt from a listing (etcd) rather than from its log.
 * What deletes moved is not in any entity; the listing carries those index keys itself.
 */
export function deriveIndex(store: StateStore): void {
  const { catalog, index } = store;
  const nodeServices = (node: string) => catalog.nodeServices(node).map((s) => `service:${s.Service}`);
  for (const n of catalog.nodes.values()) {
    for (const k of ['nodes', `node:${n.Node}`, ...nodeServices(n.Node)]) index.bump(k, n.ModifyIndex);
  }
  for (const byId of catalog.services.values()) {
    for (const s of byId.values()) for (const k of ['services', `node:${s.Node}`, `service:${s.Service}`]) index.bump(k, s.ModifyIndex);
  }
  for (const byId of catalog.checks.values()) {
    for (const c of byId.values()) {
      const services = c.ServiceID ? [`service:${c.ServiceName}`] : nodeServices(c.Node);
      for (const k of ['checks', `node:${c.Node}`, ...services]) index.bump(k, c.ModifyIndex);
    }
  }
  for (const e of store.kv.entries.values()) index.bump('kv', e.ModifyIndex);
  for (const r of store.kv.tombstones.values()) index.bump('kv', r);
  for (const s of store.sessions.byId.values()) index.bump('sessions', s.ModifyIndex);
  for (const e of store.configs.byKey.values()) for (const k of ['config', `config:${e.Kind}`]) index.bump(k, e.ModifyIndex);
}

/** The index keys a delete of this entity moves (see StateStore.apply), for a backend to keep. */
export function deleteIndexKeys(store: StateStore, t: Table, k: string): string[] {
  const nodeServices = (node: string) => store.catalog.nodeServices(node).map((s) => `service:${s.Service}`);
  switch (t) {
    case 'node':
      return ['nodes', `node:${k}`, ...nodeServices(k)];
    case 'service': {
      const [node, id] = splitKey(k);
      const old = store.catalog.getService(node, id);
      return old ? ['services', `node:${node}`, `service:${old.Service}`] : [];
    }
    case 'check': {
      const [node, id] = splitKey(k);
      const old = store.catalog.getCheck(node, id);
      if (!old) return [];
      return ['checks', `node:${node}`, ...(old.ServiceID ? [`service:${old.ServiceName}`] : nodeServices(node))];
    }
    case 'kv':
      return ['kv'];
    case 'session':
      return ['sessions'];
    case 'config': {
      const old = store.configs.byKey.get(k);
      return old ? ['config', `config:${old.Kind}`] : [];
    }
    default:
      return [];
  }
}
