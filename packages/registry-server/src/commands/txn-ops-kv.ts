import type { KvEntry } from '../structs/kv-entry.js';
import { kvKeyProblem } from '../structs/kv-key.js';
import { InvalidWriteError } from '../errors.js';
import { kvDeleteTreeTx, kvDeleteTx } from './kv-delete.js';
import { kvLockTx, kvUnlockTx } from './kv-lock.js';
import { kvSetTx } from './kv-set.js';
import type { Txn } from './txn.js';
import { casHolds, currentIndex, fail, OWN_WRITE, pending, q, type PendingResult, type TxnKvOp } from './txn-ops-types.js';

type KvVerb = (tx: Txn, op: TxnKvOp) => PendingResult[];

/** The key as the transaction sees it, and as the store held it before. */
function lookup(tx: Txn, key: string): { current: KvEntry | undefined; stored: KvEntry | undefined } {
  return { current: tx.getKv(key), stored: tx.store.kv.get(key) };
}

/** The entry as a result: reads keep the value, every other verb answers without it. */
function result(tx: Txn, key: string, withValue: boolean): PendingResult[] {
  const { current, stored } = lookup(tx, key);
  if (!current) return [];
  return [pending('KV', current, stored, withValue ? current : { ...current, Value: null })];
}

function set(tx: Txn, op: TxnKvOp): PendingResult[] {
  kvSetTx(tx, { Key: op.Key, Value: op.Value, Flags: op.Flags });
  return result(tx, op.Key, false);
}

/** lock / unlock: the same commands as ?acquire / ?release, with Consul's per-operation messages. */
function lockVerb(kind: 'lock' | 'unlock'): KvVerb {
  return (tx, op) => {
    if (!op.Session) fail('missing session');
    const req = { Key: op.Key, Value: op.Value, Flags: op.Flags, Session: op.Session };
    let ok: boolean;
    try {
      ok = kind === 'lock' ? kvLockTx(tx, req) : kvUnlockTx(tx, req);
    } catch (err) {
      if (err instanceof InvalidWriteError) fail(err.message);
      throw err;
    }
    if (!ok) {
      fail(
        kind === 'lock'
          ? `failed to lock key ${q(op.Key)}, lock is already held`
          : `failed to unlock key ${q(op.Key)}, lock isn't held, or is held by another session`,
      );
    }
    return result(tx, op.Key, false);
  };
}

/**
 * The KV verbs of /v1/txn as Consul 1.8 has them (no get-or-empty: an unknown verb there).
 * Each one either returns its results or fails its operation with Consul's message.
 */
const KV_VERBS: ReadonlyMap<string, KvVerb> = new Map<string, KvVerb>([
  ['set', set],
  [
    'cas',
    (tx, op) => {
      const { current, stored } = lookup(tx, op.Key);
      if (!casHolds(currentIndex(current, stored), op.Index)) fail(`failed to set key ${q(op.Key)}, index is stale`);
      return set(tx, op);
    },
  ],
  ['lock', lockVerb('lock')],
  ['unlock', lockVerb('unlock')],
  [
    'get',
    (tx, op) => {
      if (!tx.getKv(op.Key)) fail(`key ${q(op.Key)} doesn't exist`);
      return result(tx, op.Key, true);
    },
  ],
  ['get-tree', (tx, op) => tx.kvKeys(op.Key).flatMap((k) => result(tx, k, true))],
  [
    'check-index',
    (tx, op) => {
      const { current, stored } = lookup(tx, op.Key);
      const index = currentIndex(current, stored);
      if (index === undefined) fail(`failed to check index, key ${q(op.Key)} doesn't exist`);
      if (index !== op.Index) fail(`failed index check for key ${q(op.Key)}, current modify index ${index === OWN_WRITE ? 'is this transaction\'s own write' : index} != ${op.Index}`);
      return result(tx, op.Key, false);
    },
  ],
  [
    'check-session',
    (tx, op) => {
      const current = tx.getKv(op.Key);
      if (!current) fail(`failed to check session, key ${q(op.Key)} doesn't exist`);
      const session = current.Session ?? '';
      if (session !== op.Session) fail(`failed session check for key ${q(op.Key)}, current session ${q(session)} != ${q(op.Session)}`);
      return result(tx, op.Key, false);
    },
  ],
  [
    'check-not-exists',
    (tx, op) => {
      if (tx.getKv(op.Key)) fail(`key ${q(op.Key)} exists`);
      return [];
    },
  ],
  [
    'delete',
    (tx, op) => {
      kvDeleteTx(tx, { Key: op.Key });
      return [];
    },
  ],
  [
    'delete-tree',
    (tx, op) => {
      kvDeleteTreeTx(tx, { Prefix: op.Key });
      return [];
    },
  ],
  [
    // A key that is already gone counts as deleted; one with another index does not.
    'delete-cas',
    (tx, op) => {
      const { current, stored } = lookup(tx, op.Key);
      const index = currentIndex(current, stored);
      if (index !== undefined && index !== op.Index) fail(`failed to delete key ${q(op.Key)}, index is stale`);
      kvDeleteTx(tx, { Key: op.Key });
      return [];
    },
  ],
]);

const KV_WRITES = new Set(['set', 'cas', 'lock', 'unlock', 'delete', 'delete-tree', 'delete-cas']);

export function isKvWrite(op: TxnKvOp): boolean {
  return KV_WRITES.has(op.Verb);
}

/** Verbs that can remove a key but never create one: they take any key, so what an older version stored can be cleaned up. */
const KV_REMOVALS = new Set(['delete', 'delete-tree', 'delete-cas']);

/**
 * Checks made on every operation before any is applied. A key the KV endpoint would refuse or
 * redirect (NUL, unprintable characters, a leading "/", "//", "." or ".." segments) is refused
 * here too (Consul 1.8.7 stores such keys through /v1/txn; Praetor does not).
 */
export function vetKv(op: TxnKvOp): TxnKvOp {
  if (op.Key === '' && op.Verb !== 'delete-tree') fail('Must provide key');
  const problem = KV_REMOVALS.has(op.Verb) ? undefined : kvKeyProblem(op.Key);
  if (problem) fail(`Invalid key ${q(op.Key)}: ${problem}`);
  return op;
}

export function applyKv(tx: Txn, op: TxnKvOp): PendingResult[] {
  const verb = KV_VERBS.get(op.Verb);
  if (!verb) fail(`unknown KV verb ${q(op.Verb)}`);
  return verb(tx, op);
}
