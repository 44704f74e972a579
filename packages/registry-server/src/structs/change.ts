import type { HealthCheck } from './check.js';
import type { KvEntry } from './kv-entry.js';
import type { Node } from './node.js';
import type { Service } from './service.js';
import type { Session } from './session.js';
import type { Unindexed } from './indexed.js';

/**
 * One entity change, the unit both backends persist and feed back into the StateStore.
 * `v` null is a delete. Keys: node name; `node\0id` for services and checks; the KV key;
 * the session ID. A `lock-delay` (keyed by KV key) holds a key's lock back after its session
 * was invalidated, until `Until` (ms since the epoch); it moves no index.
 */
export type Change =
  | { t: 'node'; k: string; v: Unindexed<Node> | null }
  | { t: 'service'; k: string; v: Unindexed<Service> | null }
  | { t: 'check'; k: string; v: Unindexed<HealthCheck> | null }
  | { t: 'kv'; k: string; v: Unindexed<KvEntry> | null }
  | { t: 'session'; k: string; v: Unindexed<Session> | null }
  | { t: 'lock-delay'; k: string; v: LockDelay | null };

export interface LockDelay {
  Until: number;
}

export type Table = Change['t'];

/** The key of a service or check: owner node and ID. */
export function ownedKey(node: string, id: string): string {
  return `${node}\u0000${id}`;
}

/** The owner node and ID of a service or check key. */
export function splitKey(key: string): [string, string] {
  const i = key.indexOf('\u0000');
  return [key.slice(0, i), key.slice(i + 1)];
}
