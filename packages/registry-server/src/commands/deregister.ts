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
  if (req.CheckID) return tx.set('check', `${req.Node}\u0000${req.CheckID}`, null);
  let changed = false;
  for (const s of tx.nodeServices(req.Node)) changed = deregisterServiceTx(tx, req.Node, s.ID) || changed;
  for (const c of tx.nodeChecks(req.Node)) changed = tx.set('check', `${req.Node}\u0000${c.CheckID}`, null) || changed;
  return tx.set('node', req.Node, null) || changed;
}

/** Removes a service instance and every check bound to it. */
export function deregisterServiceTx(tx: Txn, node: string, serviceID: string): boolean {
  let changed = false;
  for (const c of tx.nodeChecks(node)) {
    if (c.ServiceID === serviceID) changed = tx.set('check', `${node}\u0000${c.CheckID}`, null) || changed;
  }
  return tx.set('service', `${node}\u0000${serviceID}`, null) || changed;
}
