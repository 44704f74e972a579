import type { IKeyValue } from 'etcd3';
import { deriveIndex } from '../../state/index-derive.js';
import { restoreSnapshot, type Snapshot } from '../../state/snapshot.js';
import { StateStore } from '../../state/state-store.js';
import { SPACES, type EtcdKeys } from './etcd-keys.js';
import { decodeValue } from './etcd-values.js';

/** A key of one of the side spaces (servers, election, session TTLs, members, restores), as the mirror keeps it. */
export interface SideKey {
  value: Buffer;
  createRevision: number;
  modRevision: number;
  lease: string;
}

export type Side = Record<'server' | 'election' | 'sessionTtl' | 'member' | 'restored', Map<string, SideKey>>;

export const emptySide = (): Side => ({ server: new Map(), election: new Map(), sessionTtl: new Map(), member: new Map(), restored: new Map() });

const SIDE_SPACES: ReadonlyMap<string, keyof Side> = new Map([
  [SPACES.server, 'server'],
  [SPACES.election, 'election'],
  [SPACES.sessionTtl, 'sessionTtl'],
  [SPACES.member, 'member'],
  [SPACES.restored, 'restored'],
]);

/** The side map a space's keys are kept in, or undefined for a space of the state store. */
export function sideName(space: string): keyof Side | undefined {
  return SIDE_SPACES.get(space);
}

/** Where each table's entities go in a Snapshot. */
const SNAPSHOT_FIELD = { node: 'nodes', service: 'services', check: 'checks', kv: 'kv', session: 'sessions', config: 'configs' } as const;

/** The index-space key that holds the KV floor (see KvTable.floor): the highest reaped tombstone. */
export const KV_FLOOR = '$kv-floor';

/**
 * The state a listing of the prefix describes, at `revision`: every entity with its own indexes
 * (CreateIndex and ModifyIndex are etcd's create and mod revisions), KV tombstones, lock delays,
 * and the index table: derived from the entities, raised by the index keys deletes moved.
 */
export function stateFromListing(keys: EtcdKeys, kvs: readonly IKeyValue[], revision: number): { store: StateStore; side: Side } {
  const store = new StateStore();
  const side = emptySide();
  const snap: Snapshot = { revision, nodes: [], services: [], checks: [], kv: [], sessions: [], configs: [], tombstones: [], index: [], kvFloor: 0 };
  const lockDelays: Array<[string, number]> = [];
  for (const kv of kvs) {
    const parts = keys.split(kv.key.toString());
    if (!parts) continue;
    const indexes = { CreateIndex: Number(kv.create_revision), ModifyIndex: Number(kv.mod_revision) };
    const entity = keys.parseEntity(parts.space, parts.rest);
    if (entity) {
      const v = decodeValue<Record<string, unknown>>(kv.value);
      if (entity.t === 'lock-delay') lockDelays.push([entity.k, (v as { Until: number }).Until]);
      else (snap[SNAPSHOT_FIELD[entity.t]] as unknown[]).push({ ...v, ...indexes });
      continue;
    }
    switch (parts.space) {
      case SPACES.tombstone:
        snap.tombstones.push([parts.rest, indexes.ModifyIndex]);
        break;
      case SPACES.index:
        if (parts.rest === KV_FLOOR) snap.kvFloor = Number(kv.value.toString());
        else snap.index.push([parts.rest, indexes.ModifyIndex]);
        break;
      default: {
        const name = sideName(parts.space);
        if (name) side[name].set(parts.rest, { value: kv.value, createRevision: indexes.CreateIndex, modRevision: indexes.ModifyIndex, lease: kv.lease });
      }
    }
  }
  // A tombstone left behind by a write that raced its deletion: the key lives, the tombstone is moot.
  const live = new Set(snap.kv.map((e) => e.Key));
  snap.tombstones = snap.tombstones.filter(([k]) => !live.has(k));
  restoreSnapshot(store, snap);
  deriveIndex(store);
  for (const [k, until] of lockDelays) store.sessions.lockDelays.set(k, until);
  return { store, side };
}
