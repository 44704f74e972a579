import { invalidateSessionTx } from './session-invalidate.js';
import type { Txn } from './txn.js';

/** PUT /v1/session/destroy/:id; destroying a session that is not there is not an error. Returns whether one was there. */
export function sessionDestroyTx(tx: Txn, id: string): boolean {
  const s = tx.getSession(id);
  if (!s) return false;
  invalidateSessionTx(tx, s);
  return true;
}
