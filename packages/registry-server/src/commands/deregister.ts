import { InvalidWriteError } from '../errors.js';
import type { Txn } from './txn.js';

export interface DeregisterRequest {
  Node: string;
  ServiceID?: string;
  CheckID?: string;
}

/**
 * /v1/catalog/deregister: a check, a service with its checks, or (with neither) the whole node
 * with everything on it. Unknown entities are a no-op; returns whether anything was removed.
 */
export function deregisterTx(tx: Txn, req: DeregisterRequest): boolean {
  if (!req.Node) throw new InvalidWriteError('Must provide node');
  if (req.ServiceID) return deregisterServiceTx(tx, req.Node, req.ServiceID);
  if (req.CheckID) return tx.deleteCheck(req.Node, req.CheckID);
  let changed = false;
  for (const s of tx.nodeServices(req.Node)) changed = deregisterServiceTx(tx, req.Node, s.ID) || changed;
  for (const c of tx.nodeChecks(req.Node)) changed = tx.deleteCheck(req.Node, c.CheckID) || changed;
  return tx.deleteNode(req.Node) || changed;
}

/** Removes a service instance and every check bound to it. */
export function deregisterServiceTx(tx: Txn, node: string, serviceID: string): boolean {
  let changed = false;
  for (const c of tx.nodeChecks(node)) {
    if (c.ServiceID === serviceID) changed = tx.deleteCheck(node, c.CheckID) || changed;
  }
  return tx.deleteService(node, serviceID) || changed;
}
