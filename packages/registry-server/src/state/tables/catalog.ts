import { ownedKey } from '../../structs/change.js';
import type { HealthCheck } from '../../structs/check.js';
import type { Node } from '../../structs/node.js';
import type { Service } from '../../structs/service.js';

function byKey<T>(map: Map<string, T>): T[] {
  return [...map.keys()].sort().map((k) => map.get(k)!);
}

/** Node name, then service ID, compared as strings (the order of Consul's memdb index). */
function byNodeThenId(a: Service, b: Service): number {
  if (a.Node !== b.Node) return a.Node < b.Node ? -1 : 1;
  return a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0;
}

/**
 * Nodes, their services and their checks, with a secondary index of instances by service name.
 * Plain maps; listing methods return entities sorted as Consul's memdb indexes order them.
 */
export class CatalogTables {
  readonly nodes = new Map<string, Node>();
  /** node → service ID → instance */
  readonly services = new Map<string, Map<string, Service>>();
  /** service name → ownedKey(node, id) → instance */
  readonly byName = new Map<string, Map<string, Service>>();
  /** node → check ID → check */
  readonly checks = new Map<string, Map<string, HealthCheck>>();
  /** node → service ID → check ID → check; service ID '' holds the node-level checks. Nested, so reads build no key. */
  private readonly checksByService = new Map<string, Map<string, Map<string, HealthCheck>>>();

  putNode(n: Node): void {
    this.nodes.set(n.Node, n);
  }

  deleteNode(name: string): void {
    this.nodes.delete(name);
  }

  getService(node: string, id: string): Service | undefined {
    return this.services.get(node)?.get(id);
  }

  putService(s: Service): void {
    const old = this.getService(s.Node, s.ID);
    if (old && old.Service !== s.Service) this.unindexName(old);
    let m = this.services.get(s.Node);
    if (!m) this.services.set(s.Node, (m = new Map()));
    m.set(s.ID, s);
    let byName = this.byName.get(s.Service);
    if (!byName) this.byName.set(s.Service, (byName = new Map()));
    byName.set(ownedKey(s.Node, s.ID), s);
  }

  deleteService(node: string, id: string): Service | undefined {
    const m = this.services.get(node);
    const old = m?.get(id);
    if (!m || !old) return undefined;
    m.delete(id);
    if (m.size === 0) this.services.delete(node);
    this.unindexName(old);
    return old;
  }

  private unindexName(s: Service): void {
    const byName = this.byName.get(s.Service);
    if (!byName) return;
    byName.delete(ownedKey(s.Node, s.ID));
    if (byName.size === 0) this.byName.delete(s.Service);
  }

  getCheck(node: string, id: string): HealthCheck | undefined {
    return this.checks.get(node)?.get(id);
  }

  putCheck(c: HealthCheck): void {
    let m = this.checks.get(c.Node);
    if (!m) this.checks.set(c.Node, (m = new Map()));
    const old = m.get(c.CheckID);
    if (old && old.ServiceID !== c.ServiceID) this.unindexCheck(old);
    m.set(c.CheckID, c);
    let ofNode = this.checksByService.get(c.Node);
    if (!ofNode) this.checksByService.set(c.Node, (ofNode = new Map()));
    let bs = ofNode.get(c.ServiceID);
    if (!bs) ofNode.set(c.ServiceID, (bs = new Map()));
    bs.set(c.CheckID, c);
  }

  deleteCheck(node: string, id: string): HealthCheck | undefined {
    const m = this.checks.get(node);
    const old = m?.get(id);
    if (!m || !old) return undefined;
    m.delete(id);
    if (m.size === 0) this.checks.delete(node);
    this.unindexCheck(old);
    return old;
  }

  private unindexCheck(c: HealthCheck): void {
    const ofNode = this.checksByService.get(c.Node);
    const bs = ofNode?.get(c.ServiceID);
    if (!ofNode || !bs) return;
    bs.delete(c.CheckID);
    if (bs.size > 0) return;
    ofNode.delete(c.ServiceID);
    if (ofNode.size === 0) this.checksByService.delete(c.Node);
  }

  /** The checks bound to one service instance ('' for the node-level checks), sorted by check ID. */
  serviceChecks(node: string, serviceID: string): HealthCheck[] {
    const m = this.checksByService.get(node)?.get(serviceID);
    return m ? byKey(m) : [];
  }

  /** Sorted by node name. */
  listNodes(): Node[] {
    return byKey(this.nodes);
  }

  /** A node's services, sorted by ID. */
  nodeServices(node: string): Service[] {
    const m = this.services.get(node);
    return m ? byKey(m) : [];
  }

  /** A node's checks, sorted by check ID. */
  nodeChecks(node: string): HealthCheck[] {
    const m = this.checks.get(node);
    return m ? byKey(m) : [];
  }

  /** Instances of a service, sorted by node then service ID. */
  serviceInstances(name: string): Service[] {
    const m = this.byName.get(name);
    return m ? [...m.values()].sort(byNodeThenId) : [];
  }

  /** Every check, sorted by node then check ID. */
  allChecks(): HealthCheck[] {
    const out: HealthCheck[] = [];
    for (const node of [...this.checks.keys()].sort()) out.push(...this.nodeChecks(node));
    return out;
  }
}
