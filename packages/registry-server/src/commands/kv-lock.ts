import type { KvFlags } from '../structs/kv-entry.js';
import { InvalidWriteError } from '../errors.js';
import type { Txn } from './txn.js';

export interface KvLockRequest {
  Key: string;
  Value: Buffer | null;
  Flags: KvFlags;
  Session: string;
}

/**
 * PUT /v1/kv/:key?acquire=: takes the key's lock for a session and writes the value. The
 * holder may write again (LockIndex stays); another session, or any session while the key's
 * lock-delay runs, gets false. A new holder bumps LockIndex.
 */
export function kvLockTx(tx: Txn, req: KvLockRequest): boolean {
  if (!tx.getSession(req.Session)) throw new InvalidWriteError(`invalid session ${JSON.stringify(req.Session)}`);
  if (tx.lockDelayed(req.Key)) return false;
  const existing = tx.getKv(req.Key);
  if (existing?.Session && existing.Session !== req.Session) return false;
  const lockIndex = existing?.Session === req.Session ? existing.LockIndex : (existing?.LockIndex ?? 0) + 1;
  tx.putKv({ Key: req.Key, Value: req.Value, Flags: req.Flags, LockIndex: lockIndex, Session: req.Session });
  return true;
}

/** PUT /v1/kv/:key?release=: only the holding session releases; the value is written too. */
export function kvUnlockTx(tx: Txn, req: KvLockRequest): boolean {
  const existing = tx.getKv(req.Key);
  if (!existing || existing.Session !== req.Session) return false;
  tx.putKv({ Key: req.Key, Value: req.Value, Flags: req.Flags, LockIndex: existing.LockIndex });
  return true;
}
