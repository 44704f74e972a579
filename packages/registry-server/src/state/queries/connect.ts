import type { Node } from '../../structs/node.js';
import type { Service } from '../../structs/service.js';
import type { StateStore } from '../state-store.js';
import type { WatchSet } from '../watch-set.js';
import { hasTags, serviceIndex, type ServiceQuery } from './catalog.js';
import { instanceChecks, type ServiceEntry } from './health.js';
import { nodeMetaMatches } from './node-meta.js';
import { result, type QueryResult } from './result.js';

/**
 * The Connect-capable instances of service `name`: the connect proxies whose destination it
 * is, and its own Connect-native instances (Consul's catalog/connect and health/connect). Which
 * proxies target a service can change with any service write, so the read watches the services
 * table; its index is the highest of that table's and of the services it returns.
 */
function connectInstances(store: StateStore, ws: WatchSet, name: string, q: ServiceQuery): { index: number; rows: Array<{ node: Node; service: Service }> } {
  ws.add('services', 'services');
  const names = new Set<string>([name]);
  const rows: Array<{ node: Node; service: Service }> = [];
  for (const [svcName, byId] of store.catalog.byName) {
    for (const s of byId.values()) {
      const proxy = s.Kind === 'connect-proxy' && s.Proxy?.DestinationServiceName === name;
      const native = svcName === name && s.Connect?.Native === true;
      if (!proxy && !native) continue;
      names.add(svcName);
      const node = store.catalog.nodes.get(s.Node);
      if (node && hasTags(s, q.tags) && nodeMetaMatches(node, q.nodeMeta)) rows.push({ node, service: s });
    }
  }
  let index = store.index.get('services');
  for (const n of names) {
    ws.add(`service:${n}`, 'services');
    index = Math.max(index, serviceIndex(store, n));
  }
  rows.sort((a, b) => (a.node.Node === b.node.Node ? cmp(a.service.ID, b.service.ID) : cmp(a.node.Node, b.node.Node)));
  return { index: Math.max(1, index), rows };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** GET /v1/catalog/connect/:service */
export function catalogConnect(store: StateStore, ws: WatchSet, name: string, q: ServiceQuery = {}): QueryResult<Array<{ node: Node; service: Service }>> {
  const { index, rows } = connectInstances(store, ws, name, q);
  return result(index, rows);
}

/** GET /v1/health/connect/:service (?passing leaves out instances with a check that is not passing). */
export function healthConnect(store: StateStore, ws: WatchSet, name: string, q: ServiceQuery & { passing?: boolean } = {}): QueryResult<ServiceEntry[]> {
  const { index, rows } = connectInstances(store, ws, name, q);
  const out: ServiceEntry[] = [];
  for (const { node, service } of rows) {
    const checks = instanceChecks(store, service);
    if (q.passing && checks.some((c) => c.Status !== 'passing')) continue;
    out.push({ node, service, checks });
  }
  return result(index, out);
}
