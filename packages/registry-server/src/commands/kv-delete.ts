import type { Txn } from './txn.js';

/** DELETE /v1/kv/:key; with Cas (> 0) only if the key's ModifyIndex matches. */
export function kvDeleteTx(tx: Txn, req: { Key: string; Cas?: number }): boolean {
  if (req.Cas !== undefined) {
    const existing = tx.getKv(req.Key);
    if (!existing || existing.ModifyIndex !== req.Cas) return false;
  }
  tx.deleteKv(req.Key);
  return true;
}

/** DELETE /v1/kv/:prefix?recurse: every key under the prefix. */
export function kvDeleteTreeTx(tx: Txn, req: { Prefix: string }): boolean {
  for (const k of tx.kvKeys(req.Prefix)) tx.deleteKv(k);
  return true;
}
