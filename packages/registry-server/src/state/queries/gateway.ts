import type { ConfigEntry } from '../../structs/config-entry.js';
import type { StateStore } from '../state-store.js';
import type { WatchSet } from '../watch-set.js';
import { serviceIndex } from './catalog.js';
import { instanceChecks, type ServiceEntry } from './health.js';
import { result, type QueryResult } from './result.js';

type D = Record<string, unknown>;
const set = (o: D): D => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));

/** The services a gateway's config entry links to it, as Consul's GatewayService rows. */
function linked(entry: ConfigEntry): D[] {
  const indexes = { CreateIndex: entry.CreateIndex, ModifyIndex: entry.ModifyIndex };
  const base = (name: string) => ({ Gateway: { Name: entry.Name }, Service: { Name: name }, GatewayKind: entry.Kind });
  if (entry.Kind === 'terminating-gateway') {
    return ((entry.Services as D[] | undefined) ?? []).map((s) => ({ ...base(s.Name as string), ...set({ CAFile: s.CAFile, CertFile: s.CertFile, KeyFile: s.KeyFile, SNI: s.SNI }), ...indexes }));
  }
  return (entry.Listeners as Array<{ Port: number; Protocol: string; Services: D[] }>).flatMap((l) =>
    l.Services.map((s) => ({ ...base(s.Name as string), Port: l.Port, Protocol: l.Protocol, ...set({ Hosts: s.Hosts ?? undefined }), ...indexes })),
  );
}

const gatewayIndex = (store: StateStore) => Math.max(1, store.index.get('config:ingress-gateway'), store.index.get('config:terminating-gateway'));

/** GET /v1/catalog/gateway-services/:gateway: what its ingress or terminating gateway entry links (null when nothing). */
export function gatewayServices(store: StateStore, ws: WatchSet, gateway: string): QueryResult<D[] | null> {
  ws.add('config:ingress-gateway', 'config');
  ws.add('config:terminating-gateway', 'config');
  const entry = store.configs.get('ingress-gateway', gateway) ?? store.configs.get('terminating-gateway', gateway);
  const rows = entry ? linked(entry) : [];
  return result(gatewayIndex(store), rows.length > 0 ? rows : null);
}

/**
 * GET /v1/health/ingress/:service: the instances of the ingress gateways whose entry lists the
 * service (?passing leaves out those with a check that is not passing).
 */
export function healthIngress(store: StateStore, ws: WatchSet, service: string, passing = false): QueryResult<ServiceEntry[]> {
  ws.add('config:ingress-gateway', 'config');
  let index = store.index.get('config:ingress-gateway');
  const out: ServiceEntry[] = [];
  for (const entry of store.configs.ofKind('ingress-gateway')) {
    if (!linked(entry).some((r) => (r.Service as { Name: string }).Name === service)) continue;
    ws.add(`service:${entry.Name}`, 'services');
    index = Math.max(index, serviceIndex(store, entry.Name));
    for (const s of store.catalog.serviceInstances(entry.Name)) {
      const node = store.catalog.nodes.get(s.Node);
      if (!node || s.Kind !== 'ingress-gateway') continue;
      const checks = instanceChecks(store, s);
      if (passing && checks.some((c) => c.Status !== 'passing')) continue;
      out.push({ node, service: s, checks });
    }
  }
  return result(Math.max(1, index), out);
}
