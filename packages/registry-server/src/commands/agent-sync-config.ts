import { sameEntity } from '../internal/same-entity.js';
import type { HealthCheck } from '../structs/check.js';
import type { Service } from '../structs/service.js';
import { agentRegisterCheckTx } from './agent-register.js';
import { deregisterServiceTx } from './deregister.js';
import { ensureServiceTx, type CheckInput, type ServiceInput } from './register.js';
import type { Txn } from './txn.js';

/** The services and node-level checks the agent's config files define, validated. */
export interface ConfigDefinitions {
  services: Array<{ service: ServiceInput; checks: CheckInput[] }>;
  /** Top-level checks (one may still name a ServiceID). */
  checks: CheckInput[];
}

/** The IDs of the services and checks (service checks included) that came from config files. */
export interface DefinedIds {
  services: string[];
  checks: string[];
}

export interface SyncChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/** What a sync did, by service ID and by top-level check ID (a service's checks count as its changes). */
export interface SyncSummary {
  services: SyncChanges;
  checks: SyncChanges;
}

export function definedIds(d: ConfigDefinitions): DefinedIds {
  return {
    services: d.services.map((s) => s.service.ID),
    checks: [...d.services.flatMap((s) => s.checks.map((c) => c.CheckID)), ...d.checks.map((c) => c.CheckID)],
  };
}

/**
 * Brings the agent's node in step with its config files, in one transaction:
 * services and checks the files defined before (`previous`) and no longer do are removed; the
 * ones they define are written. Nothing else on the node is touched (services and checks
 * registered over HTTP stay, including checks added over HTTP to a file-defined service).
 * A write equal to what is stored is dropped by the Txn, so an unchanged definition bumps no
 * index; a check whose definition did not change keeps its status and output even if the file
 * sets an initial status. With `nodeMeta`, the node's metadata is replaced by it.
 */
export function syncConfigTx(tx: Txn, node: string, desired: ConfigDefinitions, previous: DefinedIds, nodeMeta?: Record<string, string>): SyncSummary {
  const want = definedIds(desired);
  const wantServices = new Set(want.services);
  const wantChecks = new Set(want.checks);
  const serviceIds = [...new Set([...previous.services, ...want.services])];
  // Checks reported on their own: the top-level ones; a service's checks are reported as its changes.
  const serviceChecks = new Set(desired.services.flatMap((s) => s.checks.map((c) => c.CheckID)));
  const ofService = (id: string) => {
    const sid = tx.getCheck(node, id)?.ServiceID;
    return serviceChecks.has(id) || (!!sid && serviceIds.includes(sid));
  };
  const topCheckIds = [...new Set([...desired.checks.map((c) => c.CheckID), ...previous.checks.filter((id) => !ofService(id))])];
  const serviceView = (id: string) => [tx.getService(node, id), ...tx.nodeChecks(node).filter((c) => c.ServiceID === id)];
  const before = new Map(serviceIds.map((id) => [id, serviceView(id)]));
  const checksBefore = new Map(topCheckIds.map((id) => [id, tx.getCheck(node, id)]));

  for (const id of previous.services) if (!wantServices.has(id)) deregisterServiceTx(tx, node, id);
  for (const id of previous.checks) if (!wantChecks.has(id)) tx.deleteCheck(node, id);
  if (nodeMeta) {
    const n = tx.getNode(node);
    if (n) tx.putNode({ ID: n.ID, Node: n.Node, Address: n.Address, Datacenter: n.Datacenter, TaggedAddresses: n.TaggedAddresses, Meta: { ...nodeMeta, 'consul-network-segment': '' } });
  }
  for (const { service, checks } of desired.services) {
    ensureServiceTx(tx, node, service);
    for (const c of checks) registerDefinedCheck(tx, node, c);
  }
  for (const c of desired.checks) registerDefinedCheck(tx, node, c);

  const summary: SyncSummary = { services: changes(), checks: changes() };
  for (const id of serviceIds) classify(summary.services, id, before.get(id)!, serviceView(id));
  for (const id of topCheckIds) classify(summary.checks, id, [checksBefore.get(id)], [tx.getCheck(node, id)]);
  return summary;
}

/** Registers a check from a file; one whose definition is unchanged keeps its status and output. */
function registerDefinedCheck(tx: Txn, node: string, c: CheckInput): void {
  const cur = tx.getCheck(node, c.CheckID);
  const unchanged =
    cur !== undefined &&
    cur.Type === c.Type &&
    cur.Name === (c.Name || c.CheckID) &&
    cur.Notes === c.Notes &&
    cur.ServiceID === c.ServiceID &&
    sameEntity(cur.Definition, c.Definition);
  agentRegisterCheckTx(tx, node, unchanged ? { ...c, explicitStatus: false } : c);
}

const changes = (): SyncChanges => ({ added: [], changed: [], removed: [] });

type View = Array<Service | HealthCheck | undefined>;

function classify(out: SyncChanges, id: string, was: View, now: View): void {
  if (was[0] === undefined && now[0] !== undefined) out.added.push(id);
  else if (was[0] !== undefined && now[0] === undefined) out.removed.push(id);
  else if (was.length !== now.length || was.some((e, i) => !sameEntity(e, now[i]))) out.changed.push(id);
}
