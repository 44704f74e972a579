import { NotFoundError } from '../errors.js';
import type { CheckStatus } from '../structs/check.js';
import type { Txn } from './txn.js';

export interface CheckUpdateRequest {
  Node: string;
  CheckID: string;
  Status: CheckStatus;
  Output: string;
}

/** Sets a check's status and output; writes (and bumps indexes) only if either changed. */
export function checkUpdateTx(tx: Txn, req: CheckUpdateRequest): boolean {
  const c = tx.getCheck(req.Node, req.CheckID);
  if (!c) throw new NotFoundError(`Unknown check ID ${JSON.stringify(req.CheckID)}. Ensure that the check ID is passed, not the check name.`);
  return tx.putCheck({ ...c, Status: req.Status, Output: req.Output });
}
