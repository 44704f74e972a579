import type { Table } from '../structs/change.js';

/**
 * A set of entities a command's outcome depended on as a whole: which members it has, not
 * only the members it then read (those are recorded as entity reads too).
 */
export type RangeGuard =
  | { t: 'nodes' }
  | { t: 'node-services'; node: string }
  | { t: 'node-checks'; node: string }
  | { t: 'sessions' }
  /** The KV entries a session holds a lock on. */
  | { t: 'session-locks'; session: string }
  | { t: 'kv-prefix'; prefix: string }
  /** The config entries of one kind. */
  | { t: 'config-kind'; kind: string }
  /** A key's lock delay (kept without an index, so guarded as a one-key range). */
  | { t: 'lock-delay'; key: string };

/** One entity read from the store: its ModifyIndex then, 0 when it did not exist. */
export interface EntityRead {
  t: Exclude<Table, 'lock-delay'>;
  k: string;
  index: number;
}

/**
 * What a command read from the store (not its own pending writes): the preconditions of its
 * write. A backend with one writer ignores it; one with several (etcd) commits the write only if
 * none of it changed since `base`, the store revision the command ran at.
 */
export class ReadSet {
  readonly entities = new Map<string, EntityRead>();
  readonly ranges = new Map<string, RangeGuard>();

  constructor(readonly base: number) {}

  entity(t: EntityRead['t'], k: string, index: number): void {
    const id = `${t}\u0001${k}`;
    if (!this.entities.has(id)) this.entities.set(id, { t, k, index });
  }

  range(g: RangeGuard): void {
    this.ranges.set(JSON.stringify(g), g);
  }
}
