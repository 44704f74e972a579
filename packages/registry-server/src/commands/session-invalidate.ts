import type { Unindexed } from '../structs/indexed.js';
import type { KvEntry } from '../structs/kv-entry.js';
import type { Session } from '../structs/session.js';
import type { Txn } from './txn.js';

/**
 * Ends a session: every lock it holds is released (Behavior `release`) or its key deleted
 * (`delete`), each such key is held back for the session's lock-delay, and the session goes.
 * Called by destroy, by TTL expiry, and by the Txn when the session's node or one of its
 * checks goes away or turns critical.
 */
export function invalidateSessionTx(tx: Txn, s: Session): void {
  const delayMs = s.LockDelay / 1e6;
  for (const key of tx.kvLockedBy(s.ID)) {
    if (s.Behavior === 'delete') {
      tx.deleteKv(key);
    } else {
      const { Session: _held, CreateIndex: _c, ModifyIndex: _m, ...rest } = tx.getKv(key)!;
      tx.putKv(rest satisfies Unindexed<KvEntry>);
    }
    if (delayMs > 0) tx.putLockDelay(key, tx.now + delayMs);
  }
  tx.deleteSession(s.ID);
}
