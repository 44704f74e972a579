import type { HealthCheck } from '../../structs/check.js';
import type { Node } from '../../structs/node.js';
import type { Service } from '../../structs/service.js';
import type { StateStore } from '../state-store.js';
import type { WatchSet } from '../watch-set.js';
import { nodeMetaMatches, type NodeMetaFilter } from './node-meta.js';
import { result, type QueryResult } from './result.js';

export interface ServiceQuery {
  tags?: readonly string[];
  nodeMeta?: NodeMetaFilter;
}

/** The index every read of one service answers with (its instances, their nodes and checks). */
export function serviceIndex(store: StateStore, name: string): number {
  return store.index.get(`service:${name}`);
}

export function hasTags(s: Service, tags: readonly string[] | undefined): boolean {
  if (!tags || tags.length === 0) return true;
  return tags.every((t) => s.Tags.includes(t));
}

export function catalogNodes(store: StateStore, ws: WatchSet, nodeMeta?: NodeMetaFilter): QueryResult<Node[]> {
  ws.add('nodes', 'nodes');
  const nodes = store.catalog.listNodes().filter((n) => nodeMetaMatches(n, nodeMeta));
  return result(store.index.get('nodes'), nodes);
}

/** What the service listings watch, and the index they answer with. */
function servicesIndex(store: StateStore, ws: WatchSet, nodeMeta?: NodeMetaFilter): number {
  ws.add('services', 'services');
  let index = store.index.get('services');
  if (nodeMeta && nodeMeta.length > 0) {
    ws.add('nodes', 'nodes');
    index = Math.max(index, store.index.get('nodes'));
  }
  return index;
}

/** Service name → the union of its instances' tags, sorted by name. */
export function catalogServices(store: StateStore, ws: WatchSet, nodeMeta?: NodeMetaFilter): QueryResult<Record<string, string[]>> {
  const index = servicesIndex(store, ws, nodeMeta);
  const out: Record<string, string[]> = {};
  for (const name of [...store.catalog.byName.keys()].sort()) {
    const tags = new Set<string>();
    let any = false;
    for (const s of store.catalog.byName.get(name)!.values()) {
      if (!nodeMetaMatches(store.catalog.nodes.get(s.Node), nodeMeta)) continue;
      any = true;
      for (const t of s.Tags) tags.add(t);
    }
    if (any) out[name] = [...tags].sort();
  }
  return result(index, out);
}

/** Every service instance with its node, by service name; the watch and index of catalogServices. */
export function catalogServiceInstances(store: StateStore, ws: WatchSet, nodeMeta?: NodeMetaFilter): QueryResult<Array<{ node: Node; service: Service }>> {
  const index = servicesIndex(store, ws, nodeMeta);
  const out: Array<{ node: Node; service: Service }> = [];
  for (const name of [...store.catalog.byName.keys()].sort()) {
    for (const s of store.catalog.byName.get(name)!.values()) {
      const node = store.catalog.nodes.get(s.Node);
      if (node && nodeMetaMatches(node, nodeMeta)) out.push({ node, service: s });
    }
  }
  return result(index, out);
}

/** The instances of one service with their nodes; the watch is on that service alone. */
export function catalogService(store: StateStore, ws: WatchSet, name: string, q: ServiceQuery = {}): QueryResult<Array<{ node: Node; service: Service }>> {
  ws.add(`service:${name}`, 'services');
  const out: Array<{ node: Node; service: Service }> = [];
  for (const s of store.catalog.serviceInstances(name)) {
    const node = store.catalog.nodes.get(s.Node);
    if (!node || !hasTags(s, q.tags) || !nodeMetaMatches(node, q.nodeMeta)) continue;
    out.push({ node, service: s });
  }
  return result(serviceIndex(store, name), out);
}

/** A node with its services (undefined when the node is unknown). */
export function catalogNode(store: StateStore, ws: WatchSet, name: string): QueryResult<{ node: Node; services: Service[] } | undefined> {
  ws.add(`node:${name}`, 'nodes');
  const node = store.catalog.nodes.get(name);
  const value = node ? { node, services: store.catalog.nodeServices(name) } : undefined;
  return result(store.index.get(`node:${name}`), value);
}

export function nodeChecks(store: StateStore, ws: WatchSet, name: string): QueryResult<HealthCheck[]> {
  ws.add(`node:${name}`, 'checks');
  return result(store.index.get(`node:${name}`), store.catalog.nodeChecks(name));
}
