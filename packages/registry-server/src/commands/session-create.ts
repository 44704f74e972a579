import { InvalidWriteError } from '../errors.js';
import type { Unindexed } from '../structs/indexed.js';
import { sessionCheckIds, type Session } from '../structs/session.js';
import type { Txn } from './txn.js';

/**
 * PUT /v1/session/create: the session's node must be registered, and every check it binds to
 * must exist on that node and not be critical (Consul's rules and messages).
 */
export function sessionCreateTx(tx: Txn, s: Unindexed<Session>): string {
  if (!tx.getNode(s.Node)) throw new InvalidWriteError('Missing node registration');
  for (const id of sessionCheckIds(s)) {
    const check = tx.getCheck(s.Node, id);
    if (!check) throw new InvalidWriteError(`Missing check '${id}' registration`);
    if (check.Status === 'critical') throw new InvalidWriteError(`Check '${id}' is in critical state`);
  }
  tx.putSession(s);
  return s.ID;
}
