import { isIP } from 'node:net';
import { parseDuration } from '../internal/duration.js';
import type { ConfigLayer } from './layer.js';

/**
 * The DNS interface's settings (Consul's `domain`, `alt_domain`, `recursors`, `dns_config`).
 * Durations are in milliseconds; domains are lower case and end with a dot.
 */
export interface DnsSettings {
  domain: string;
  /** '' when there is none. */
  altDomain: string;
  /** host:port, tried from a rotating start for names outside the domains. */
  recursors: string[];
  recursorTimeout: number;
  nodeTtl: number;
  /** Service name, `prefix*` or `*` → TTL (ms); exact name, then longest prefix, then `*`. */
  serviceTtl: Record<string, number>;
  onlyPassing: boolean;
  /** Answers in a UDP reply without EDNS (at most 8). */
  udpAnswerLimit: number;
  /** Set TC on an answer that was cut (over TCP too, as Consul 1.8). */
  enableTruncate: boolean;
  /** The most A/AAAA records in a service answer (0: no limit). */
  aRecordLimit: number;
  /**
   * allow_stale: answer from this server's copy of the state at once (the default); false: as a
   * default HTTP read, first confirm the copy is current (with the etcd store; one server on its
   * own store is always current). max_stale is accepted and has no effect.
   */
  allowStale: boolean;
  maxStale: number;
  /** Answers are never compressed (see dns/wire.ts), so this only documents the choice. */
  disableCompression: boolean;
}

export const DNS_DEFAULTS: Readonly<DnsSettings> = Object.freeze({
  domain: 'consul.',
  altDomain: '',
  recursors: [],
  recursorTimeout: 2000,
  nodeTtl: 0,
  serviceTtl: {},
  onlyPassing: false,
  udpAnswerLimit: 3,
  enableTruncate: false,
  aRecordLimit: 0,
  allowStale: true,
  maxStale: 87_600 * 3_600_000,
  disableCompression: false,
});

/** `consul`, `Consul.` → `consul.`; a name of DNS labels. */
export function parseDomain(text: string): string {
  const d = text.toLowerCase().replace(/\.?$/, '.');
  if (d === '.' || !/^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+$/.test(d)) throw new Error(`${JSON.stringify(text)} is not a DNS domain`);
  return d;
}

/** `1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]:5353` → host:port (port 53 by default). */
export function parseRecursor(text: string): string {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const [host, port] = bracket ? [bracket[1], bracket[2]] : isIP(text) === 6 ? [text, undefined] : text.split(':');
  const p = port === undefined ? 53 : Number(port);
  if (!isIP(host ?? '') || !Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`recursor ${JSON.stringify(text)} is not an IP address with an optional port`);
  return host.includes(':') ? `[${host}]:${p}` : `${host}:${p}`;
}

function duration(text: string): number {
  const ms = parseDuration(text);
  if (ms < 0) throw new Error(`${JSON.stringify(text)} is negative`);
  return ms;
}

/** What a config-file reader offers (config-file.ts's FileReader). */
interface ValueReader {
  layer: ConfigLayer;
  /** Where the value is (for messages), and the warnings the read gives. */
  where: string;
  warnings: string[];
  string(v: unknown): string;
  bool(v: unknown): boolean;
  uint(v: unknown): number;
}
type DnsReader = (r: ValueReader, v: unknown) => void;

const set = (r: ValueReader, part: Partial<DnsSettings>) => {
  r.layer.dns = { ...r.layer.dns, ...part };
};

/** Top-level config-file keys (dns_config is read with DNS_CONFIG_KEYS). */
export const DNS_TOP_KEYS: Record<string, DnsReader> = {
  domain: (r, v) => set(r, { domain: parseDomain(r.string(v)) }),
  alt_domain: (r, v) => set(r, { altDomain: r.string(v) === '' ? '' : parseDomain(r.string(v)) }),
  recursors: (r, v) => {
    if (!Array.isArray(v)) throw new Error('expected an array of addresses');
    set(r, { recursors: v.map((x) => parseRecursor(r.string(x))) });
  },
};

export const DNS_CONFIG_KEYS: Record<string, DnsReader> = {
  a_record_limit: (r, v) => set(r, { aRecordLimit: r.uint(v) }),
  allow_stale: (r, v) => set(r, { allowStale: r.bool(v) }),
  disable_compression: (r, v) => set(r, { disableCompression: r.bool(v) }),
  enable_truncate: (r, v) => set(r, { enableTruncate: r.bool(v) }),
  max_stale: (r, v) => {
    set(r, { maxStale: duration(r.string(v)) });
    r.warnings.push(`${r.where}: dns_config.max_stale is accepted and has no effect: with allow_stale, DNS answers from this server's copy however long ago it heard from the store`);
  },
  node_ttl: (r, v) => set(r, { nodeTtl: duration(r.string(v)) }),
  only_passing: (r, v) => set(r, { onlyPassing: r.bool(v) }),
  recursor_timeout: (r, v) => set(r, { recursorTimeout: duration(r.string(v)) }),
  service_ttl: (r, v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('expected an object of service name → duration');
    set(r, { serviceTtl: Object.fromEntries(Object.entries(v).map(([k, d]) => [k.toLowerCase(), duration(r.string(d))])) });
  },
  udp_answer_limit: (r, v) => set(r, { udpAnswerLimit: r.uint(v) }),
};

/** dns_config keys of Consul's that Praetor ignores (with a warning). */
export const DNS_CONFIG_IGNORED = 'soa use_cache cache_max_age enable_additional_node_meta_txt recursor_strategy prefer_namespace';

/** The settings an agent runs with: the defaults under what the layers said. */
export function dnsSettings(layer: Partial<DnsSettings> | undefined): DnsSettings {
  return { ...DNS_DEFAULTS, ...layer };
}

/** ports.dns / -dns-port: a port, 0 for any free one, or -1 for no DNS interface. */
export function dnsPort(n: number): number {
  if (n === -1) return n;
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`port ${n} is out of range: ports must be 0-65535 (0 picks a free port; -1 turns DNS off)`);
  return n;
}
