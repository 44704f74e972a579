import { parseDuration } from '../internal/duration.js';

/** Where the state lives: the embedded store (default) or an etcd cluster shared by several servers. */
export type StoreKind = 'embedded' | 'etcd';

/** `etcd` in the config (and -etcd-endpoints): how a server reaches its etcd cluster. */
export interface EtcdConfig {
  /** URLs (`http://host:port`, `https://...` with tls) of the etcd members. */
  endpoints: string[];
  /** Keys live under `/<prefix>/<datacenter>/`. */
  prefix: string;
  /** How long to wait for a connection to a member (ms). */
  dialTimeout: number;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  /**
   * Set when this server runs its own etcd member (`-bootstrap-expect N`, N > 1, without
   * `-store etcd`): the members form one cluster from the `-retry-join` addresses.
   */
  supervise?: { expect: number; binary: string; retryJoin: string[] };
}

export const ETCD_DEFAULTS: EtcdConfig = { endpoints: [], prefix: 'praetor', dialTimeout: 5000 };

export function parseStoreKind(v: string): StoreKind {
  if (v !== 'embedded' && v !== 'etcd') throw new Error('must be "embedded" or "etcd"');
  return v;
}

/** Endpoints as a comma-separated list (the flag) or a JSON array of strings (the file). */
export function parseEndpoints(v: unknown): string[] {
  const list = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : null;
  if (!list) throw new Error('expected a list of URLs');
  const out = list.map((e) => {
    if (typeof e !== 'string') throw new Error('expected a list of URLs');
    const url = e.trim();
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`${JSON.stringify(url)} is not a URL (expected http://host:port)`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${JSON.stringify(url)}: expected an http:// or https:// URL`);
    return url;
  });
  if (out.length === 0 || out.some((u) => u === '')) throw new Error('expected at least one URL');
  return out;
}

/** The `etcd` object of a config file. */
export function parseEtcdObject(v: unknown): Partial<EtcdConfig> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('expected an object');
  const out: Partial<EtcdConfig> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    switch (k) {
      case 'endpoints':
        out.endpoints = parseEndpoints(val);
        break;
      case 'prefix':
        if (typeof val !== 'string' || !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(val)) throw new Error('etcd.prefix: expected a key prefix of letters, digits, ".", "_", "-" and "/"');
        out.prefix = val;
        break;
      case 'dial_timeout':
        if (typeof val !== 'string') throw new Error('etcd.dial_timeout: expected a duration such as "5s"');
        out.dialTimeout = parseDuration(val);
        break;
      case 'tls': {
        if (!val || typeof val !== 'object') throw new Error('etcd.tls: expected an object with ca_file, cert_file, key_file');
        const t = val as Record<string, unknown>;
        const file = (name: string) => {
          if (t[name] === undefined) return undefined;
          if (typeof t[name] !== 'string') throw new Error(`etcd.tls.${name}: expected a file path`);
          return t[name] as string;
        };
        for (const name of Object.keys(t)) if (!['ca_file', 'cert_file', 'key_file'].includes(name)) throw new Error(`etcd.tls: unknown key ${JSON.stringify(name)}`);
        out.tls = { caFile: file('ca_file'), certFile: file('cert_file'), keyFile: file('key_file') };
        break;
      }
      default:
        throw new Error(`unknown key ${JSON.stringify(k)} (etcd takes endpoints, prefix, dial_timeout, tls)`);
    }
  }
  return out;
}
