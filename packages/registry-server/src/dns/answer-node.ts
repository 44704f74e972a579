import { isIP } from 'node:net';
import { catalogNode } from '../state/queries/catalog.js';
import type { Node } from '../structs/node.js';
import { answer, isLocalDc, nxdomain, type Answer, type DnsContext } from './answer.js';
import { cname, ipRecord, metaTxt } from './records.js';

/**
 * `name.node[.dc]`: the node's address as A (IPv4) or AAAA (IPv6) when the type asks for it
 * (ANY asks for both), a CNAME for a host name (A, AAAA, ANY), and its meta as TXT: in the
 * answer for TXT and ANY, as additional records for A and AAAA. An unknown node is NXDOMAIN;
 * nothing of the type asked is an empty NOERROR without the SOA (Consul 1.8).
 */
export function answerNode(ctx: DnsContext, qname: string, qtype: string, dc: string, name: string): Answer {
  if (!isLocalDc(ctx, dc)) return nxdomain();
  const node = findNode(ctx, name);
  if (!node) return nxdomain();
  const ttl = ctx.settings.nodeTtl;
  const v = isIP(node.Address);
  const any = qtype === 'ANY';
  const records = [];
  if ((v === 4 && (qtype === 'A' || any)) || (v === 6 && (qtype === 'AAAA' || any))) records.push(ipRecord(qname, ttl, node.Address)!);
  if (v === 0 && (qtype === 'A' || qtype === 'AAAA' || any)) records.push(cname(qname, ttl, node.Address));
  const txt = metaTxt(qname, ttl, node.Meta);
  if (any || qtype === 'TXT') return answer([...records, ...txt]);
  return answer(records, [], false, qtype === 'A' || qtype === 'AAAA' ? txt : []);
}

/** A node by name, case-insensitively (the exact name first). */
function findNode(ctx: DnsContext, lower: string): Node | undefined {
  const read = (n: string) => ctx.store.read((s, ws) => catalogNode(s, ws, n).value).value?.node;
  const exact = read(lower);
  if (exact) return exact;
  for (const n of ctx.store.catalog.nodes.keys()) if (n.toLowerCase() === lower) return read(n);
  return undefined;
}
