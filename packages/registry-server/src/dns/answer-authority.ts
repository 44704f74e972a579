import { catalogService } from '../state/queries/catalog.js';
import { primaryDomain, targetName, type DnsContext } from './answer.js';
import { ipRecord } from './records.js';
import type { Rr } from './wire.js';

/**
 * The domain's SOA, as Consul 1.8 writes it: `ns.<domain>` and `hostmaster.<domain>`, the
 * serial the current Unix time, refresh 3600, retry 600, expire 86400, minimum and TTL 0.
 */
export function soaRecord(ctx: DnsContext): Rr {
  const domain = primaryDomain(ctx.settings);
  return {
    type: 'SOA',
    name: domain,
    ttl: 0,
    data: { mname: `ns.${domain}`, rname: `hostmaster.${domain}`, serial: Math.floor(Date.now() / 1000) >>> 0, refresh: 3600, retry: 600, expire: 86400, minimum: 0 },
  };
}

/**
 * The name servers of the domain: every registry server (the `consul` service) as
 * `<node>.node.<dc>.<domain>` with node_ttl, and its address as glue.
 */
export function nameServers(ctx: DnsContext): { ns: Rr[]; glue: Rr[] } {
  const ttl = Math.floor(ctx.settings.nodeTtl / 1000);
  const domain = primaryDomain(ctx.settings);
  const ns: Rr[] = [];
  const glue: Rr[] = [];
  for (const { node } of ctx.store.read((s, ws) => catalogService(s, ws, 'consul').value).value) {
    const target = targetName(ctx, node.Node, 'node');
    const addr = ipRecord(target, ctx.settings.nodeTtl, node.Address);
    if (!addr) continue;
    ns.push({ type: 'NS', name: domain, ttl, data: target });
    glue.push(addr);
  }
  return { ns, glue };
}
