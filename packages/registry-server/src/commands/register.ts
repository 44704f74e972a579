import { InvalidWriteError } from '../errors.js';
import type { HealthCheck } from '../structs/check.js';
import type { Unindexed } from '../structs/indexed.js';
import type { Service } from '../structs/service.js';
import type { Txn } from './txn.js';

/** A service instance as a command writes it: the catalog entity without owner and indexes. */
export type ServiceInput = Omit<Service, 'Node' | 'CreateIndex' | 'ModifyIndex'>;

/** A check as a command writes it; the command fills Node, ServiceName and ServiceTags. */
export type CheckInput = Pick<HealthCheck, 'CheckID' | 'Name' | 'Status' | 'Notes' | 'Output' | 'ServiceID' | 'Type' | 'Definition'> & {
  /** The definition set Status itself (otherwise a re-registered check keeps its status). */
  explicitStatus?: boolean;
};

/** The body of /v1/catalog/register, decoded. */
export interface RegisterRequest {
  Node: string;
  ID: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string>;
  NodeMeta: Record<string, string>;
  Service?: ServiceInput;
  Checks: CheckInput[];
  SkipNodeUpdate: boolean;
}

/** Registers a node and optionally one service and its checks, as /v1/catalog/register does. */
export function registerTx(tx: Txn, req: RegisterRequest): true {
  if (!req.Node) throw new InvalidWriteError('Must provide node');
  if (!req.SkipNodeUpdate && !req.Address) throw new InvalidWriteError('Must provide address if SkipNodeUpdate is not set');
  // SkipNodeUpdate keeps an existing node as it is; a missing one is created all the same.
  if (!req.SkipNodeUpdate || !tx.getNode(req.Node)) {
    tx.putNode({
      ID: req.ID,
      Node: req.Node,
      Address: req.Address,
      Datacenter: req.Datacenter,
      TaggedAddresses: req.TaggedAddresses,
      Meta: req.NodeMeta,
    });
  }
  if (req.Service) ensureServiceTx(tx, req.Node, req.Service);
  for (const c of req.Checks) ensureCheckTx(tx, req.Node, c);
  return true;
}

/** Writes a service instance and keeps its checks' ServiceName/ServiceTags in step. */
export function ensureServiceTx(tx: Txn, node: string, s: ServiceInput): void {
  if (!s.Service) throw new InvalidWriteError(s.ID ? 'Must provide service name with ID' : 'Must provide service name');
  const id = s.ID || s.Service;
  const svc: Unindexed<Service> = { Node: node, ...s, ID: id };
  if (!svc.TaggedAddresses || Object.keys(svc.TaggedAddresses).length === 0) delete svc.TaggedAddresses;
  tx.putService(svc);
  for (const c of tx.nodeChecks(node)) {
    if (c.ServiceID !== id) continue;
    tx.putCheck({ ...c, ServiceName: svc.Service, ServiceTags: [...svc.Tags] });
  }
}

/** Writes one check; a service check must name a service registered on the node. */
export function ensureCheckTx(tx: Txn, node: string, c: CheckInput): void {
  const checkID = c.CheckID || c.Name;
  if (!checkID) throw new InvalidWriteError('Must provide check ID or name');
  let serviceName = '';
  let serviceTags: string[] = [];
  if (c.ServiceID) {
    const svc = tx.getService(node, c.ServiceID);
    if (!svc) throw new InvalidWriteError(`Missing service registration for check ${JSON.stringify(checkID)}: no service ${JSON.stringify(c.ServiceID)} on node ${JSON.stringify(node)}`);
    serviceName = svc.Service;
    serviceTags = [...svc.Tags];
  }
  const check: Unindexed<HealthCheck> = {
    Node: node,
    CheckID: checkID,
    Name: c.Name,
    Status: c.Status,
    Notes: c.Notes,
    Output: c.Output,
    ServiceID: c.ServiceID,
    ServiceName: serviceName,
    ServiceTags: serviceTags,
    Type: c.Type,
    Definition: c.Definition,
  };
  tx.putCheck(check);
}
