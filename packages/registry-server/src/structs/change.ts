import type { HealthCheck } from './check.js';
import type { ConfigEntry } from './config-entry.js';
import type { KvEntry } from './kv-entry.js';
import type { Node } from './node.js';
import type { Service } from './service.js';
import type { Session } from './session.js';
import type { Unindexed } from './indexed.js';

/**
 * One entity change, the unit both backends persist and feed back into the StateStore.
 * `v` null is a delete. Keys: node name; `ownedKey(node, id)` for services and checks; the KV key;
 * the session ID; `<kind>/<name>` for a config record. A `lock-delay` (keyed by KV key) holds a key's lock back after its session
 * was invalidated, until `Until` (ms since the epoch); it moves no index.
 */
export type Change =
  | { t: 'node'; k: string; v: Unindexed<Node> | null }
  | { t: 'service'; k: string; v: Unindexed<Service> | null }
  | { t: 'check'; k: string; v: Unindexed<HealthCheck> | null }
  | { t: 'kv'; k: string; v: Unindexed<KvEntry> | null }
  | { t: 'session'; k: string; v: Unindexed<Session> | null }
  | { t: 'config'; k: string; v: Unindexed<ConfigEntry> | null }
  | { t: 'lock-delay'; k: string; v: LockDelay | null };

export interface LockDelay {
  Until: number;
}

export type Table = Change['t'];

/**
 * The key of a service or check: owner node and ID as a JSON array (`["node","id"]`). Names may
 * hold any character (Consul stores NUL, newlines and `/` as given), so no separator character
 * could keep the two parts apart; JSON quoting does.
 */
export function ownedKey(node: string, id: string): string {
  return JSON.stringify([node, id]);
}

/**
 * The owner node and ID of a service or check key. Logs written before keys were JSON hold
 * `node\0id`; such a key always contains a raw NUL, which a JSON key never does (JSON escapes
 * it), so the two forms cannot be confused. An old key is split at its first NUL, as it always was.
 */
export function splitKey(key: string): [string, string] {
  const nul = key.indexOf('\u0000');
  if (nul >= 0) return [key.slice(0, nul), key.slice(nul + 1)];
  let parts: unknown;
  try {
    parts = JSON.parse(key);
  } catch {
    parts = undefined;
  }
  if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string' || typeof parts[1] !== 'string') {
    throw new Error(`malformed service or check key ${JSON.stringify(key)}: expected ["node","id"]`);
  }
  return [parts[0], parts[1]];
}
