import type { KvFlags } from '../structs/kv-entry.js';
import type { Txn } from './txn.js';

export interface KvSetRequest {
  Key: string;
  Value: Buffer | null;
  Flags: KvFlags;
  /** With cas: 0 writes only if the key is absent, N only if its ModifyIndex is N. */
  Cas?: number;
}

/** PUT /v1/kv/:key. Returns false when a CAS precondition fails. Locks are kept as they are. */
export function kvSetTx(tx: Txn, req: KvSetRequest): boolean {
  const existing = tx.getKv(req.Key);
  if (req.Cas !== undefined) {
    if (req.Cas === 0 ? existing !== undefined : existing?.ModifyIndex !== req.Cas) return false;
  }
  const entry: Parameters<Txn['putKv']>[0] = {
    Key: req.Key,
    Value: req.Value,
    Flags: req.Flags,
    LockIndex: existing?.LockIndex ?? 0,
  };
  if (existing?.Session) entry.Session = existing.Session;
  tx.putKv(entry);
  return true;
}
