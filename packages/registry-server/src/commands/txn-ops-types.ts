import type { CheckDefinition, HealthCheck } from '../structs/check.js';
import type { Indexed, Unindexed } from '../structs/indexed.js';
import type { KvEntry } from '../structs/kv-entry.js';
import type { Node } from '../structs/node.js';
import type { Service } from '../structs/service.js';
import type { ServiceInput } from './register.js';
import type { Txn } from './txn.js';

/** One KV operation of /v1/txn, decoded: Value is raw bytes (null when absent or empty). */
export interface TxnKvOp {
  Verb: string;
  Key: string;
  Value: Buffer | null;
  Flags: number;
  /** The ModifyIndex for cas, delete-cas and check-index. */
  Index: number;
  Session: string;
}

export interface TxnNodeOp {
  Verb: string;
  Node: Omit<Node, 'CreateIndex'>;
}

export interface TxnServiceOp {
  Verb: string;
  /** The node that owns the service. */
  Node: string;
  Service: ServiceInput & { ModifyIndex: number };
}

export interface TxnCheckOp {
  Verb: string;
  Check: {
    Node: string;
    CheckID: string;
    Name: string;
    Status: string;
    Notes: string;
    Output: string;
    ServiceID: string;
    Definition: CheckDefinition;
    ModifyIndex: number;
  };
}

export type TxnOp = { KV: TxnKvOp } | { Node: TxnNodeOp } | { Service: TxnServiceOp } | { Check: TxnCheckOp };

/** One entry of `Results`, with its indexes as committed. */
export type TxnResult = { KV: KvEntry } | { Node: Node } | { Service: Service } | { Check: HealthCheck };

/** One entry of `Errors`: which operation failed and why. */
export interface TxnError {
  OpIndex: number;
  What: string;
}

/** An operation that cannot be applied; the whole transaction rolls back with its message. */
export class TxnOpFailure extends Error {}

export function fail(what: string): never {
  throw new TxnOpFailure(what);
}

/** A string quoted the way Consul's messages quote names. */
export const q = (s: string) => JSON.stringify(s);

type Kind = 'KV' | 'Node' | 'Service' | 'Check';

/**
 * A result as an operation sees it. An entity this transaction wrote has no indexes until the
 * changes commit, so it is stamped afterwards with the commit revision (see stamp()).
 */
export interface PendingResult {
  kind: Kind;
  value: Unindexed<Indexed>;
  fresh: boolean;
  createIndex?: number;
}

/**
 * What an operation returns about `current` (the entity as the transaction sees it now), given
 * `stored` (the entity in the store before the transaction). Different objects mean this
 * transaction wrote it. `value` replaces the entity in the result (a KV write blanks Value).
 */
export function pending<T extends Indexed>(kind: Kind, current: Unindexed<T>, stored: T | undefined, value: Unindexed<T> = current): PendingResult {
  if (current === stored) return { kind, value, fresh: false };
  return { kind, value, fresh: true, createIndex: stored?.CreateIndex };
}

/** The result with its indexes: those of a written entity are the commit's, as the store stamps them. */
export function stamp(p: PendingResult, revision: number): TxnResult {
  const value = p.fresh ? { ...p.value, CreateIndex: p.createIndex ?? revision, ModifyIndex: revision } : p.value;
  return { [p.kind]: value } as TxnResult;
}

/**
 * What an index comparison sees for an entity written earlier in the same transaction: its
 * index is the commit's, which only the backend knows once it commits (with etcd, some later
 * revision), so no index a client sends can match it.
 */
export const OWN_WRITE = -1;

/**
 * The ModifyIndex an index comparison (cas, delete-cas, check-index) sees: undefined when the
 * entity does not exist; OWN_WRITE for an entity written earlier in this transaction.
 */
export function currentIndex<T extends Indexed>(current: Unindexed<T> | undefined, stored: T | undefined): number | undefined {
  if (current === undefined) return undefined;
  return current === stored ? stored.ModifyIndex : OWN_WRITE;
}

/** A cas precondition: index 0 means "must not exist", N means "must exist with ModifyIndex N". */
export function casHolds(current: number | undefined, index: number): boolean {
  return index === 0 ? current === undefined : current === index;
}

/** State shared by the operations of one transaction. */
export interface TxnOpContext {
  /** Names of nodes written by this transaction (so a lookup by node ID sees them). */
  nodesWritten: Set<string>;
}
