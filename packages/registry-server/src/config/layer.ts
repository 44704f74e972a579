import type { AgentConfig } from './agent-config.js';
import type { EtcdConfig, StoreKind } from './store-config.js';
import type { DnsSettings } from './dns-settings.js';

/** A service or check definition decoded from a config file, with where it came from. */
export interface Definition {
  value: Record<string, unknown>;
  /** For messages: `config file "a.json": services[1]`. */
  origin: string;
}

/**
 * One source of settings, already parsed and checked value by value: the defaults, -dev, one
 * config file, or the command line. Absent fields leave the layer below alone.
 */
export interface ConfigLayer {
  server?: boolean;
  bootstrap?: boolean;
  bootstrapExpect?: number;
  dataDir?: string;
  nodeName?: string;
  nodeId?: string;
  nodeMeta?: Record<string, string>;
  datacenter?: string;
  bindAddr?: string;
  /** client_addr / -client. */
  clientAddrs?: string[];
  /** addresses.http: wins over client_addr for HTTP. */
  httpAddrs?: string[];
  /** addresses.dns: wins over client_addr for DNS. */
  dnsAddrs?: string[];
  ports?: Partial<AgentConfig['ports']>;
  defaultQueryTime?: number;
  maxQueryTime?: number;
  sessionTtlMin?: number;
  logLevel?: AgentConfig['logLevel'];
  pidFile?: string;
  /** -recover-data-dir (a flag only, no config file key). */
  recoverDataDir?: boolean;
  enableScriptChecks?: boolean;
  enableLocalScriptChecks?: boolean;
  /** check_update_interval (ms). */
  checkUpdateInterval?: number;
  discardCheckOutput?: boolean;
  /** check_output_max_size / -check_output_max_size (bytes, at least 1). */
  checkOutputMaxSize?: number;
  leaveOnTerminate?: boolean;
  skipLeaveOnInterrupt?: boolean;
  uiEnabled?: boolean;
  limits?: Partial<AgentConfig['limits']>;
  dns?: Partial<DnsSettings>;
  /** encrypt / -encrypt, as written (checked in load-config.ts). */
  encrypt?: string;
  /** reconnect_timeout (ms). */
  reconnectTimeout?: number;
  /** member_timeout / -member-timeout (ms). */
  memberTimeout?: number;
  services?: Definition[];
  checks?: Definition[];
  store?: StoreKind;
  etcd?: Partial<EtcdConfig>;
  /** -retry-join / retry_join: addresses of other servers (host or host:port). */
  retryJoin?: string[];
  /** -join / start_join: servers a client joins at start. */
  startJoin?: string[];
  /** -retry-interval / retry_interval (ms). */
  retryInterval?: number;
  /** -retry-max / retry_max. */
  retryMax?: number;
  /** -sync-interval (ms), Praetor's own. */
  syncInterval?: number;
  /** -retry-join-wan / retry_join_wan: servers of other datacenters (HTTP host or host:port). */
  retryJoinWan?: string[];
  /** -etcd-binary: the etcd a server with -bootstrap-expect runs. */
  etcdBinary?: string;
}

function fields<T extends object>(below: T | undefined, above: T | undefined): T | undefined {
  if (!below) return above;
  if (!above) return below;
  // fromEntries, not assignment, so a key such as "__proto__" (valid node meta) stays a plain key.
  return Object.fromEntries([...Object.entries(below), ...Object.entries(above).filter(([, v]) => v !== undefined)]) as T;
}

function list<T>(below: T[] | undefined, above: T[] | undefined): T[] | undefined {
  if (!below) return above;
  if (!above) return below;
  return [...below, ...above];
}

/**
 * Merges `above` over `below` as Consul merges its sources: scalars from above win, objects
 * (ports, limits, node_meta) merge field by field, service and check lists append.
 */
export function mergeLayers(below: ConfigLayer, above: ConfigLayer): ConfigLayer {
  const out: ConfigLayer = fields(below, above) ?? {};
  out.nodeMeta = fields(below.nodeMeta, above.nodeMeta);
  out.ports = fields(below.ports, above.ports);
  out.limits = fields(below.limits, above.limits);
  out.etcd = fields(below.etcd, above.etcd);
  out.dns = fields(below.dns, above.dns);
  out.services = list(below.services, above.services);
  out.checks = list(below.checks, above.checks);
  out.retryJoin = list(below.retryJoin, above.retryJoin);
  out.startJoin = list(below.startJoin, above.startJoin);
  out.retryJoinWan = list(below.retryJoinWan, above.retryJoinWan);
  for (const k of Object.keys(out) as (keyof ConfigLayer)[]) if (out[k] === undefined) delete out[k];
  return out;
}
