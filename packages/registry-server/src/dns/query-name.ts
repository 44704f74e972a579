import { isIP } from 'node:net';
import { canonicalIpv6 } from './records.js';

/**
 * What a question's name asks for, read as Consul 1.8 reads it (labels right to left, after the
 * domain): `[tag.]name.service[.dc]`, `_name._tag[.service][.dc]` (RFC 2782; `_tcp` means any
 * tag), `node.node[.dc]` (a node name may hold dots), `hex.addr[.dc]`, `name.query[.dc]`,
 * `a.b.c.d.in-addr.arpa` and the `ip6.arpa` form. Names are case-insensitive: labels come
 * lower-cased; the reply echoes the question as asked.
 */
export type Lookup =
  | { kind: 'service'; dc: string; service: string; tag?: string }
  | { kind: 'node'; dc: string; node: string }
  | { kind: 'addr'; dc: string; hex: string }
  | { kind: 'query' }
  /** A name in the domain that means nothing (the domain itself too): NXDOMAIN. */
  | { kind: 'invalid' }
  /** in-addr.arpa or ip6.arpa; ip is undefined when the labels are not an address. */
  | { kind: 'reverse'; ip?: string }
  | { kind: 'outside' };

/** `name` without its trailing dot; `domains` lower case with their trailing dot. */
export function parseName(name: string, domains: readonly string[], datacenter: string): Lookup {
  const lower = `${name.toLowerCase()}.`;
  if (lower.endsWith('.in-addr.arpa.') || lower.endsWith('.ip6.arpa.')) return { kind: 'reverse', ip: reverseIp(lower) };
  const domain = domains.find((d) => lower === d || lower.endsWith(`.${d}`));
  if (!domain) return { kind: 'outside' };
  const rest = lower.slice(0, lower.length - domain.length - 1);
  const labels = rest === '' ? [] : rest.split('.');
  return readLabels(labels, datacenter);
}

function readLabels(labels: string[], agentDc: string): Lookup {
  let dc = agentDc;
  for (let i = labels.length - 1; i >= 0; i--) {
    const before = labels.slice(0, i);
    switch (labels[i]) {
      case 'service':
        return serviceLookup(before, dc);
      case 'node':
        return before.length > 0 ? { kind: 'node', dc, node: before.join('.') } : { kind: 'invalid' };
      case 'addr':
        return before.length === 1 ? { kind: 'addr', dc, hex: before[0] } : { kind: 'invalid' };
      case 'query':
        return before.length > 0 ? { kind: 'query' } : { kind: 'invalid' };
      default:
        // `_name._tag` with neither `.service` nor a datacenter label after it.
        if (i === 1 && labels[0].startsWith('_') && labels[1].startsWith('_')) return serviceLookup(labels, dc);
        // Only the last label may be a datacenter.
        if (i !== labels.length - 1) return { kind: 'invalid' };
        dc = labels[i];
    }
  }
  return { kind: 'invalid' };
}

function serviceLookup(labels: string[], dc: string): Lookup {
  if (labels.length === 1) return { kind: 'service', dc, service: labels[0] };
  if (labels.length !== 2) return { kind: 'invalid' };
  if (labels[0].startsWith('_') && labels[1].startsWith('_')) {
    const tag = labels[1].slice(1);
    return { kind: 'service', dc, service: labels[0].slice(1), ...(tag === 'tcp' ? {} : { tag }) };
  }
  return { kind: 'service', dc, service: labels[1], tag: labels[0] };
}

/** `4.3.2.1.in-addr.arpa.` → 1.2.3.4; the 32 nibbles of ip6.arpa → an IPv6 address. */
function reverseIp(lower: string): string | undefined {
  if (lower.endsWith('.in-addr.arpa.')) {
    const ip = lower.slice(0, -'.in-addr.arpa.'.length).split('.').reverse().join('.');
    return isIP(ip) === 4 ? ip : undefined;
  }
  const nibbles = lower.slice(0, -'.ip6.arpa.'.length).split('.').reverse();
  if (nibbles.length !== 32 || nibbles.some((n) => !/^[0-9a-f]$/.test(n))) return undefined;
  return canonicalIpv6((nibbles.join('').match(/.{4}/g) ?? []).join(':'));
}
