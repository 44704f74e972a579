import { isIP } from 'node:net';
import { catalogNodes, catalogServiceInstances } from '../state/queries/catalog.js';
import { answer, targetName, type Answer, type DnsContext } from './answer.js';
import { canonicalIpv6, ptr } from './records.js';

/**
 * `in-addr.arpa` / `ip6.arpa`, whatever the type asked: PTR to the first node with that address
 * (`<node>.node.<dc>.<domain>`), else to the first service instance with it as its own address
 * (`<service>.service.<dc>.<domain>`), TTL 0. undefined when nothing has it: the question then
 * goes to the recursors (SERVFAIL without them), as in Consul 1.8.
 */
export function answerReverse(ctx: DnsContext, qname: string, ip: string | undefined): Answer | undefined {
  if (ip === undefined) return undefined;
  const same = (addr: string) => addr === ip || (isIP(addr) === 6 && isIP(ip) === 6 && canonicalIpv6(addr) === ip);
  const nodes = ctx.store.read((s, ws) => catalogNodes(s, ws).value).value;
  const node = nodes.find((n) => same(n.Address));
  if (node) return answer([ptr(qname, targetName(ctx, node.Node, 'node'))]);
  const instances = ctx.store.read((s, ws) => catalogServiceInstances(s, ws).value).value;
  const hit = instances.find((i) => i.service.Address !== '' && same(i.service.Address));
  return hit ? answer([ptr(qname, targetName(ctx, hit.service.Service, 'service'))]) : undefined;
}
