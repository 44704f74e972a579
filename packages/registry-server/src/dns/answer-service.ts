import { isIP } from 'node:net';
import { instanceChecks, type ServiceEntry } from '../state/queries/health.js';
import { answer, isLocalDc, nxdomain, targetName, type Answer, type DnsContext } from './answer.js';
import { cname, hexAddress, ipRecord, metaTxt, srv } from './records.js';
import { instancePool } from './instance-pool.js';
import { serviceTtl } from './service-ttl.js';
import type { Rr } from './wire.js';

/**
 * `[tag.]name.service` and `_name._tag`: the instances that are not critical (and, with
 * only_passing, only the passing ones), in a new random order for each answer. NXDOMAIN when
 * none is left. SRV gives SRV records with their targets' addresses (and node meta TXT) as
 * extras; any other type gives the instances' addresses (see addressRecords). At most `cap`
 * records are made: the caller knows that no more could fit in the reply, so a service of
 * thousands of instances costs only the instances it answers with (and their health).
 */
export function answerService(ctx: DnsContext, qname: string, qtype: string, dc: string, service: string, tag: string | undefined, cap: number): Answer {
  if (!isLocalDc(ctx, dc)) return nxdomain();
  const name = serviceName(ctx, service);
  if (name === undefined) return nxdomain();
  const entries = healthyInstances(ctx, name, tag);
  const first = entries.next();
  if (first.done) return nxdomain();
  const all = (function* () {
    yield first.value;
    yield* entries;
  })();
  const ttl = serviceTtl(ctx.settings, name);
  return qtype === 'SRV' ? srvRecords(ctx, qname, ttl, all, cap) : addressRecords(ctx, qname, qtype, ttl, all, cap);
}

/** The service's name as registered: names are case-insensitive in DNS. */
function serviceName(ctx: DnsContext, lower: string): string | undefined {
  const names = ctx.store.catalog.byName;
  if (names.has(lower)) return lower;
  for (const n of names.keys()) if (n.toLowerCase() === lower) return n;
  return undefined;
}

/** The instances DNS may give out, in random order, their health read only as they are taken. */
function* healthyInstances(ctx: DnsContext, name: string, tag: string | undefined): Generator<ServiceEntry> {
  const { store } = ctx;
  const onlyPassing = ctx.settings.onlyPassing;
  const pool = instancePool(store, name);
  for (let i = 0; i < pool.length; i++) {
    const j = i + Math.floor(Math.random() * (pool.length - i));
    const s = pool[j];
    pool[j] = pool[i];
    pool[i] = s;
    if (tag !== undefined && !s.Tags.some((t) => t.toLowerCase() === tag)) continue;
    const node = store.catalog.nodes.get(s.Node);
    if (!node) continue;
    const checks = instanceChecks(store, s);
    if (checks.some((c) => c.Status === 'critical' || (onlyPassing && c.Status !== 'passing'))) continue;
    yield { node, service: s, checks };
  }
}

/**
 * Consul 1.8's address answers: one record per distinct address (the service's, else its
 * node's); A for IPv4 and AAAA for IPv6 when the type asks for them (ANY and TXT ask for both);
 * a host name gives a CNAME, sent only when no address record is (the first one only, whatever
 * the type). a_record_limit caps the records. No record at all: NOERROR with the SOA.
 */
function addressRecords(ctx: DnsContext, qname: string, qtype: string, ttl: number, entries: Iterable<ServiceEntry>, cap: number): Answer {
  const wants4 = qtype === 'A' || qtype === 'ANY' || qtype === 'TXT';
  const wants6 = qtype === 'AAAA' || qtype === 'ANY' || qtype === 'TXT';
  const limit = ctx.settings.aRecordLimit > 0 ? Math.min(ctx.settings.aRecordLimit, cap) : cap;
  const lowerName = qname.toLowerCase();
  const handled = new Set<string>();
  const records: Rr[] = [];
  let alias: Rr | undefined;
  for (const { node, service } of entries) {
    let addr = service.Address || node.Address;
    // A service whose address is the name asked for answers with its node's address.
    if (addr.toLowerCase().replace(/\.$/, '') === lowerName) addr = node.Address;
    if (handled.has(addr)) continue;
    handled.add(addr);
    const v = isIP(addr);
    if (v === 0) {
      alias ??= cname(qname, ttl, addr);
      continue;
    }
    if ((v === 4 && !wants4) || (v === 6 && !wants6)) continue;
    records.push(ipRecord(qname, ttl, addr)!);
    if (records.length === limit) break;
  }
  if (records.length > 0) return answer(records);
  return alias ? answer([alias]) : answer([], [], true);
}

/**
 * SRV records, one per node, service address and port (priority 1, weight from Weights.Warning
 * when a check warns, else Weights.Passing). The target is `<node>.node.<dc>.<domain>`, or
 * `<hex>.addr.<dc>.<domain>` for a service with its own address, with its A/AAAA and the node's
 * meta TXT as extras (repeated for each instance on the same node, as Consul does); a host name
 * is the target itself, without extras.
 */
function srvRecords(ctx: DnsContext, qname: string, ttl: number, entries: Iterable<ServiceEntry>, cap: number): Answer {
  const handled = new Set<string>();
  const records: Rr[] = [];
  const extras: Rr[][] = [];
  for (const { node, service, checks } of entries) {
    if (records.length >= cap) break;
    const key = `${node.Node}\u0000${service.Address}\u0000${service.Port}`;
    if (handled.has(key)) continue;
    handled.add(key);
    const weight = checks.some((c) => c.Status === 'warning') ? service.Weights.Warning : service.Weights.Passing;
    const addr = service.Address || node.Address;
    if (isIP(addr) === 0) {
      records.push(srv(qname, ttl, weight, service.Port, addr));
      extras.push([]);
      continue;
    }
    const nodeTarget = targetName(ctx, node.Node, 'node');
    const target = service.Address ? targetName(ctx, hexAddress(addr)!, 'addr') : nodeTarget;
    records.push(srv(qname, ttl, weight, service.Port, target));
    extras.push([ipRecord(target, ttl, addr)!, ...metaTxt(nodeTarget, ttl, node.Meta)]);
  }
  return answer(records, extras);
}
