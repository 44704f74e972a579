import type { CheckStatus, HealthCheck } from '../../structs/check.js';
import type { Node } from '../../structs/node.js';
import type { Service } from '../../structs/service.js';
import type { StateStore } from '../state-store.js';
import type { WatchSet } from '../watch-set.js';
import { hasTags, serviceIndex, type ServiceQuery } from './catalog.js';
import { nodeMetaMatches, type NodeMetaFilter } from './node-meta.js';
import { result, type QueryResult } from './result.js';

export interface ServiceEntry {
  node: Node;
  service: Service;
  checks: HealthCheck[];
}

/** The checks that decide an instance's health: its node's checks and its own. */
export function instanceChecks(store: StateStore, s: Service): HealthCheck[] {
  const nodeLevel = store.catalog.serviceChecks(s.Node, '');
  const own = store.catalog.serviceChecks(s.Node, s.ID);
  if (nodeLevel.length === 0) return own;
  if (own.length === 0) return nodeLevel;
  return [...nodeLevel, ...own].sort((a, b) => (a.CheckID < b.CheckID ? -1 : a.CheckID > b.CheckID ? 1 : 0));
}

/** /v1/health/service/:name: instances with their checks; `passing` keeps only all-passing ones. */
export function healthService(store: StateStore, ws: WatchSet, name: string, q: ServiceQuery & { passing?: boolean } = {}): QueryResult<ServiceEntry[]> {
  ws.add(`service:${name}`, 'services');
  const out: ServiceEntry[] = [];
  for (const s of store.catalog.serviceInstances(name)) {
    const node = store.catalog.nodes.get(s.Node);
    if (!node || !hasTags(s, q.tags) || !nodeMetaMatches(node, q.nodeMeta)) continue;
    const checks = instanceChecks(store, s);
    if (q.passing && checks.some((c) => c.Status !== 'passing')) continue;
    out.push({ node, service: s, checks });
  }
  return result(serviceIndex(store, name), out);
}

/** /v1/health/checks/:service: the service-level checks of every instance. */
export function serviceChecks(store: StateStore, ws: WatchSet, name: string, nodeMeta?: NodeMetaFilter): QueryResult<HealthCheck[]> {
  ws.add(`service:${name}`, 'checks');
  const out: HealthCheck[] = [];
  for (const s of store.catalog.serviceInstances(name)) {
    if (!nodeMetaMatches(store.catalog.nodes.get(s.Node), nodeMeta)) continue;
    out.push(...store.catalog.serviceChecks(s.Node, s.ID));
  }
  return result(serviceIndex(store, name), out);
}

/** /v1/health/state/:state; `any` lists every check. */
export function checksInState(store: StateStore, ws: WatchSet, state: CheckStatus | 'any', nodeMeta?: NodeMetaFilter): QueryResult<HealthCheck[]> {
  ws.add('checks', 'checks');
  const out = store.catalog
    .allChecks()
    .filter((c) => (state === 'any' || c.Status === state) && nodeMetaMatches(store.catalog.nodes.get(c.Node), nodeMeta));
  return result(store.index.get('checks'), out);
}
