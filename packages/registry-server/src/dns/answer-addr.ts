import { answer, isLocalDc, nxdomain, type Answer, type DnsContext } from './answer.js';
import { addressFromHex, ipRecord } from './records.js';

/**
 * `hex.addr[.dc]`: the address spelled in hex (8 digits IPv4, 32 IPv6), whatever the type asked,
 * with node_ttl. Digits that are no address give an empty NOERROR without the SOA (Consul 1.8).
 */
export function answerAddr(ctx: DnsContext, qname: string, dc: string, hex: string): Answer {
  if (!isLocalDc(ctx, dc)) return nxdomain();
  const ip = addressFromHex(hex);
  return answer(ip === undefined ? [] : [ipRecord(qname, ctx.settings.nodeTtl, ip)!]);
}
