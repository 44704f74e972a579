import { isIP } from 'node:net';
import type { Rr } from './wire.js';

/**
 * Record builders. TTLs come in milliseconds (as the settings hold them) and go out in whole
 * seconds, rounded down as Consul does.
 */
const secs = (ms: number) => Math.floor(ms / 1000);

/** A or AAAA for an IP address; undefined for anything else (a host name). */
export function ipRecord(name: string, ttlMs: number, ip: string): Rr | undefined {
  const v = isIP(ip);
  if (v === 0) return undefined;
  return { type: v === 4 ? 'A' : 'AAAA', name, ttl: secs(ttlMs), data: ip };
}

export function cname(name: string, ttlMs: number, target: string): Rr {
  return { type: 'CNAME', name, ttl: secs(ttlMs), data: withoutDot(target) };
}

export function srv(name: string, ttlMs: number, weight: number, port: number, target: string): Rr {
  return { type: 'SRV', name, ttl: secs(ttlMs), data: { priority: 1, weight, port, target } };
}

export function ptr(name: string, target: string): Rr {
  // Consul 1.8 gives reverse answers TTL 0 whatever node_ttl and service_ttl say.
  return { type: 'PTR', name, ttl: 0, data: target };
}

/**
 * A node's metadata as TXT records (RFC 1464 `key=value`); a key starting with `rfc1035-` gives
 * its bare value.
 */
export function metaTxt(name: string, ttlMs: number, meta: Record<string, string>): Rr[] {
  return Object.entries(meta).map(([k, v]) => ({ type: 'TXT', name, ttl: secs(ttlMs), data: k.startsWith('rfc1035-') ? v : `${k}=${v}` }));
}

function withoutDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** 10.1.0.2 → 0a010002; 2001:db8::6 → the 32 hex digits of the address. */
export function hexAddress(ip: string): string | undefined {
  const v = isIP(ip);
  if (v === 4) return ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('');
  if (v !== 6) return undefined;
  return expandIpv6(ip).join('');
}

/** The eight groups of an IPv6 address, four hex digits each (an embedded IPv4 tail converted). */
function expandIpv6(ip: string): string[] {
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => g.padStart(4, '0'));
}

/** 0a010002 → 10.1.0.2; 32 hex digits → an IPv6 address; undefined for anything else. */
export function addressFromHex(hex: string): string | undefined {
  if (!/^[0-9a-f]+$/.test(hex)) return undefined;
  if (hex.length === 8) return (hex.match(/../g) ?? []).map((b) => parseInt(b, 16)).join('.');
  if (hex.length !== 32) return undefined;
  const groups = (hex.match(/.{4}/g) ?? []).map((g) => parseInt(g, 16).toString(16));
  return canonicalIpv6(groups.join(':'));
}

/** The shortest form of an IPv6 address (as Go prints it): the longest run of zero groups as `::`. */
export function canonicalIpv6(ip: string): string {
  const groups = expandIpv6(ip).map((g) => parseInt(g, 16).toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
