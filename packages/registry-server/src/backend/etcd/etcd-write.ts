import type { ICompare, IRequestOp } from 'etcd3';
import type { ReadSet } from '../../commands/read-set.js';
import { deleteIndexKeys } from '../../state/index-derive.js';
import type { StateStore } from '../../state/state-store.js';
import type { Change } from '../../structs/change.js';
import type { KvEntry } from '../../structs/kv-entry.js';
import type { Session } from '../../structs/session.js';
import { SPACES, type EtcdKeys } from './etcd-keys.js';
import { encodeValue } from './etcd-values.js';

/** One command's write as an etcd transaction: compares (its read set) and operations. */
export interface EtcdWrite {
  compare: ICompare[];
  success: IRequestOp[];
  /** TTL sessions the write creates: each needs a lease (seconds) before it is sent. */
  sessionLeases: Array<{ id: string; ttl: string }>;
}

const EMPTY = Buffer.alloc(0);

/**
 * Turns a command's read set into compares: each entity read must still have the ModifyIndex
 * the command saw (0: still absent), and no key of a range it depended on may have changed
 * after the revision it ran at. A change of either makes etcd refuse the transaction, and the
 * command runs again on the newer state.
 */
export function readCompares(keys: EtcdKeys, reads: ReadSet): ICompare[] {
  const out: ICompare[] = [];
  for (const r of reads.entities.values()) {
    out.push({ key: Buffer.from(keys.entity(r.t, r.k)), target: 'Mod', result: 'Equal', mod_revision: r.index });
  }
  for (const g of reads.ranges.values()) {
    const { key, end } = keys.range(g);
    out.push({ key, ...(end ? { range_end: end } : {}), target: 'Mod', result: 'Less', mod_revision: reads.base + 1 });
  }
  return out;
}

/**
 * The operations of a command's changes. Besides the entities: the index keys a delete moves
 * and a KV tombstone (so a listing rebuilds the same indexes), the lock fence of each session
 * whose locks change, a TTL key per new TTL session, and the `last` key every write moves
 * (readers confirm they caught up with it).
 */
export function writeOps(keys: EtcdKeys, store: StateStore, changes: readonly Change[]): EtcdWrite {
  const success: IRequestOp[] = [];
  const sessionLeases: EtcdWrite['sessionLeases'] = [];
  const indexKeys = new Set<string>();
  const fences = new Set<string>();
  const put = (key: string, value: Buffer = EMPTY) => success.push({ request_put: { key: Buffer.from(key), value } });
  const del = (key: string) => success.push({ request_delete_range: { key: Buffer.from(key) } });
  for (const c of changes) {
    const key = keys.entity(c.t, c.k);
    if (c.v === null) {
      for (const k of deleteIndexKeys(store, c.t, c.k)) indexKeys.add(k);
      del(key);
    } else {
      put(key, encodeValue(c.v));
    }
    if (c.t === 'kv') {
      const old = store.kv.get(c.k);
      for (const s of [old?.Session, (c.v as KvEntry | null)?.Session]) if (s) fences.add(s);
      if (c.v === null && old) put(`${keys.space(SPACES.tombstone)}${c.k}`);
      // A key written again drops its tombstone (a tombstone this copy has not seen yet stays
      // behind, harmless: a listing ignores the tombstone of a live key).
      if (c.v !== null && !old && store.kv.tombstones.has(c.k)) del(`${keys.space(SPACES.tombstone)}${c.k}`);
    }
    if (c.t === 'session') {
      const ttlKey = `${keys.space(SPACES.sessionTtl)}${c.k}`;
      const s = c.v as Session | null;
      if (s === null) del(ttlKey);
      else if (s.TTL && !store.sessions.get(c.k)) sessionLeases.push({ id: c.k, ttl: s.TTL });
    }
  }
  for (const k of indexKeys) put(`${keys.space(SPACES.index)}${k}`);
  for (const s of fences) put(`${keys.space(SPACES.lockFence)}${s}`);
  put(keys.last());
  return { compare: [], success, sessionLeases };
}
