import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_SCHEMA } from '../agent/check-definition.js';
import { SERVICE_SCHEMA } from '../agent/service-definition.js';
import { ConfigError } from '../errors.js';
import { decode, type Schema } from '../http/decode.js';
import { CONSUL_ONLY_KEYS, CONSUL_ONLY_NOTES, CONSUL_ONLY_SUBKEYS } from './consul-keys.js';
import { parseMemberTimeout, parseReconnectTimeout } from '../membership/member-limits.js';
import { jsonErrorPosition } from './json-position.js';
import { parseEtcdObject, parseStoreKind } from './store-config.js';
import { DNS_CONFIG_KEYS, DNS_TOP_KEYS, dnsPort } from './dns-settings.js';
import { mergeLayers, type ConfigLayer, type Definition } from './layer.js';
import { checkOutputMaxSize, checkPort, checkUint, HCL_UNSUPPORTED, parseCheckUpdateInterval, parseDatacenter, parseIp, parseIpList, parseLogLevel, parseNodeId, parsePositiveDuration, parseQueryTime } from './values.js';

/** Reads one key's value into the layer; throws a plain Error saying why a value is bad. */
type Reader = (r: FileReader, v: unknown, key: string) => void;

const TOP: Record<string, Reader> = {
  ...DNS_TOP_KEYS,
  dns_config: (r, v, key) => r.nested(key, v, DNS_CONFIG_KEYS),
  addresses: (r, v, key) => r.nested(key, v, ADDRESSES),
  bind_addr: (r, v) => { r.layer.bindAddr = parseIp(r.string(v)); },
  bootstrap: (r, v) => { r.layer.bootstrap = r.bool(v); },
  bootstrap_expect: (r, v) => { r.layer.bootstrapExpect = r.uint(v); },
  check_output_max_size: (r, v) => { r.layer.checkOutputMaxSize = checkOutputMaxSize(r.int(v)); },
  check_update_interval: (r, v) => { r.layer.checkUpdateInterval = parseCheckUpdateInterval(r.string(v)); },
  discard_check_output: (r, v) => { r.layer.discardCheckOutput = r.bool(v); },
  leave_on_terminate: (r, v) => { r.layer.leaveOnTerminate = r.bool(v); },
  skip_leave_on_interrupt: (r, v) => { r.layer.skipLeaveOnInterrupt = r.bool(v); },
  check: (r, v, key) => { r.layer.checks = [...(r.layer.checks ?? []), r.definition(key, v, CHECK_SCHEMA)]; },
  checks: (r, v, key) => { r.layer.checks = [...(r.layer.checks ?? []), ...r.definitions(key, v, CHECK_SCHEMA)]; },
  client_addr: (r, v) => { r.layer.clientAddrs = parseIpList(r.string(v)); },
  data_dir: (r, v) => { r.layer.dataDir = r.string(v); },
  datacenter: (r, v) => { r.layer.datacenter = parseDatacenter(r.string(v)); },
  default_query_time: (r, v) => { r.layer.defaultQueryTime = parseQueryTime(r.string(v)); },
  encrypt: (r, v) => { r.layer.encrypt = r.string(v); },
  enable_local_script_checks: (r, v) => { r.layer.enableLocalScriptChecks = r.bool(v); },
  enable_script_checks: (r, v) => { r.layer.enableScriptChecks = r.bool(v); },
  limits: (r, v, key) => r.nested(key, v, LIMITS),
  log_level: (r, v) => { r.layer.logLevel = parseLogLevel(r.string(v)); },
  max_query_time: (r, v) => { r.layer.maxQueryTime = parseQueryTime(r.string(v)); },
  session_ttl_min: (r, v) => { r.layer.sessionTtlMin = parseQueryTime(r.string(v)); },
  member_timeout: (r, v) => { r.layer.memberTimeout = parseMemberTimeout(r.string(v)); },
  node_id: (r, v) => { r.layer.nodeId = parseNodeId(r.string(v)); },
  node_meta: (r, v) => { r.layer.nodeMeta = r.stringMap(v); },
  node_name: (r, v) => { r.layer.nodeName = r.string(v); },
  pid_file: (r, v) => { r.layer.pidFile = r.string(v); },
  ports: (r, v, key) => r.nested(key, v, PORTS),
  reconnect_timeout: (r, v) => { r.layer.reconnectTimeout = parseReconnectTimeout(r.string(v)); },
  server: (r, v) => { r.layer.server = r.bool(v); },
  service: (r, v, key) => { r.layer.services = [...(r.layer.services ?? []), r.definition(key, v, SERVICE_SCHEMA)]; },
  services: (r, v, key) => { r.layer.services = [...(r.layer.services ?? []), ...r.definitions(key, v, SERVICE_SCHEMA)]; },
  ui: (r, v) => {
    r.deprecatedUi = r.bool(v);
    r.warnings.push(`${r.where}: The 'ui' field is deprecated. Use the 'ui_config.enabled' field instead.`);
  },
  ui_config: (r, v, key) => r.nested(key, v, UI_CONFIG),
  store: (r, v) => { r.layer.store = parseStoreKind(r.string(v)); },
  retry_join: (r, v) => { r.layer.retryJoin = [...(r.layer.retryJoin ?? []), ...addresses(v)]; },
  start_join: (r, v) => { r.layer.startJoin = [...(r.layer.startJoin ?? []), ...addresses(v)]; },
  retry_interval: (r, v) => { r.layer.retryInterval = parsePositiveDuration(r.string(v)); },
  retry_max: (r, v) => { r.layer.retryMax = checkUint(r.int(v)); },
  retry_join_wan: (r, v) => { r.layer.retryJoinWan = [...(r.layer.retryJoinWan ?? []), ...addresses(v)]; },
  etcd: (r, v) => { r.layer.etcd = { ...r.layer.etcd, ...parseEtcdObject(v) }; },
};

function addresses(v: unknown): string[] {
  if (!Array.isArray(v) || v.some((a) => typeof a !== 'string')) throw new Error('expected a list of addresses');
  return v as string[];
}

const PORTS: Record<string, Reader> = {
  dns: (r, v) => { r.layer.ports = { ...r.layer.ports, dns: dnsPort(r.int(v)) }; },
  http: (r, v) => { r.layer.ports = { ...r.layer.ports, http: checkPort(r.int(v)) }; },
  server: (r, v) => { r.layer.ports = { ...r.layer.ports, server: checkPort(r.int(v)) }; },
  sidecar_min_port: (r, v) => { r.layer.ports = { ...r.layer.ports, sidecarMin: checkPort(r.int(v)) }; },
  sidecar_max_port: (r, v) => { r.layer.ports = { ...r.layer.ports, sidecarMax: checkPort(r.int(v)) }; },
};

const ADDRESSES: Record<string, Reader> = {
  dns: (r, v) => { r.layer.dnsAddrs = parseIpList(r.string(v)); },
  http: (r, v) => { r.layer.httpAddrs = parseIpList(r.string(v)); },
};

const LIMITS: Record<string, Reader> = {
  http_max_conns_per_client: (r, v) => { r.layer.limits = { ...r.layer.limits, httpMaxConnsPerClient: r.uint(v) }; },
  http_request_timeout: (r, v) => { r.layer.limits = { ...r.layer.limits, httpRequestTimeout: parseQueryTime(r.string(v)) }; },
  http_headers_timeout: (r, v) => { r.layer.limits = { ...r.layer.limits, httpHeadersTimeout: parseQueryTime(r.string(v)) }; },
  kv_max_value_size: (r, v) => { r.layer.limits = { ...r.layer.limits, kvMaxValueSize: r.uint(v) }; },
  txn_max_req_len: (r, v) => { r.layer.limits = { ...r.layer.limits, txnMaxReqLen: r.uint(v) }; },
  // Praetor's own key: Consul has no cap on a restored snapshot.
  snapshot_max_size: (r, v) => { r.layer.limits = { ...r.layer.limits, snapshotMaxSize: r.uint(v) }; },
};

const UI_CONFIG: Record<string, Reader> = {
  enabled: (r, v) => { r.layer.uiEnabled = r.bool(v); },
};

const NESTED: Record<string, Record<string, Reader>> = { dns_config: DNS_CONFIG_KEYS, ports: PORTS, addresses: ADDRESSES, limits: LIMITS, ui_config: UI_CONFIG };

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fold = (k: string) => k.toLowerCase().replace(/[-_ ]/g, '');

/** Reads one parsed config file into a layer. */
class FileReader {
  readonly layer: ConfigLayer = {};
  readonly warnings: string[] = [];
  deprecatedUi?: boolean;

  constructor(readonly where: string) {}

  string(v: unknown): string {
    if (typeof v !== 'string') throw new Error(`expected a string, got ${kind(v)}`);
    return v;
  }

  bool(v: unknown): boolean {
    if (typeof v !== 'boolean') throw new Error(`expected true or false, got ${kind(v)}`);
    return v;
  }

  int(v: unknown): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new Error(`expected an integer, got ${typeof v === 'number' ? v : kind(v)}`);
    return v;
  }

  uint(v: unknown): number {
    return checkUint(this.int(v));
  }

  stringMap(v: unknown): Record<string, string> {
    if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) throw new Error('expected an object of string values');
    return v as Record<string, string>;
  }

  definition(key: string, v: unknown, schema: Schema): Definition {
    if (!isObject(v)) throw new Error(`expected an object, got ${kind(v)}${Array.isArray(v) ? ` (use "${key}s" for a list)` : ''}`);
    return this.decode(key, v, schema);
  }

  definitions(key: string, v: unknown, schema: Schema): Definition[] {
    if (!Array.isArray(v)) throw new Error(`expected an array, got ${kind(v)}`);
    return v.map((item, i) => this.decode(`${key}[${i}]`, item, schema));
  }

  private decode(path: string, v: unknown, schema: Schema): Definition {
    try {
      return { value: decode(v, schema, path) as Record<string, unknown>, origin: `${this.where}: ${path}` };
    } catch (err) {
      throw new ConfigError(`${this.where}: ${(err as Error).message.replace(/^Request decode failed: /, '')}`);
    }
  }

  /** Reads the keys Praetor knows in an object such as `ports`, after read() checked them. */
  nested(parent: string, v: unknown, readers: Record<string, Reader>): void {
    if (!isObject(v)) throw new Error(`expected an object, got ${kind(v)}`);
    for (const [k, sub] of Object.entries(v)) {
      const reader = Object.hasOwn(readers, k.toLowerCase()) ? readers[k.toLowerCase()] : undefined;
      if (reader && sub !== null) this.at(`${parent}.${k}`, () => reader(this, sub, `${parent}.${k}`));
    }
  }

  at(key: string, f: () => void): void {
    try {
      f();
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(`${this.where}: ${key}: ${(err as Error).message}`);
    }
  }

  read(obj: Record<string, unknown>): void {
    this.checkKeys(obj);
    for (const [key, v] of Object.entries(obj)) {
      const reader = Object.hasOwn(TOP, key.toLowerCase()) ? TOP[key.toLowerCase()] : undefined;
      if (reader && v !== null) this.at(key, () => reader(this, v, key));
    }
    // Consul maps the deprecated `ui` onto ui_config.enabled unless the file sets that itself.
    if (this.deprecatedUi !== undefined && this.layer.uiEnabled === undefined) this.layer.uiEnabled = this.deprecatedUi;
  }

  /** Unknown keys are an error listing them all; Consul keys Praetor ignores are one warning. */
  private checkKeys(obj: Record<string, unknown>): void {
    const unknown: string[] = [];
    const ignored: string[] = [];
    for (const [key, v] of Object.entries(obj)) {
      const k = key.toLowerCase();
      if (Object.hasOwn(TOP, k)) {
        if (!Object.hasOwn(NESTED, k) || !isObject(v)) continue;
        for (const sub of Object.keys(v)) {
          const s = sub.toLowerCase();
          if (Object.hasOwn(NESTED[k], s)) continue;
          (CONSUL_ONLY_SUBKEYS[k]?.has(s) ? ignored : unknown).push(`${key}.${sub}`);
        }
      } else (CONSUL_ONLY_KEYS.has(k) ? ignored : unknown).push(key);
    }
    if (unknown.length > 0) {
      const hints = unknown.map(suggest).filter(Boolean);
      throw new ConfigError(
        `${this.where}: unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.map((k) => JSON.stringify(k)).join(', ')}: ` +
          `not a Consul agent setting${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`,
      );
    }
    if (ignored.length > 0) {
      const notes = ignored.map((k) => CONSUL_ONLY_NOTES[k.toLowerCase()]).filter(Boolean);
      this.warnings.push(
        `${this.where}: ignoring Consul settings that Praetor does not implement: ${ignored.join(', ')}` +
          (notes.length > 0 ? ` (${[...new Set(notes)].join('; ')})` : ''),
      );
    }
  }
}

const ALL_KEYS = [
  ...Object.keys(TOP),
  ...CONSUL_ONLY_KEYS,
  ...Object.entries(NESTED).flatMap(([p, r]) => [...Object.keys(r), ...(CONSUL_ONLY_SUBKEYS[p] ?? [])].map((s) => `${p}.${s}`)),
];

function suggest(key: string): string {
  const match = ALL_KEYS.find((k) => fold(k) === fold(key));
  return match ? `did you mean ${JSON.stringify(match)} for ${JSON.stringify(key)}?` : '';
}

/** Parses the text of one JSON config file; `name` is used in messages. */
export function parseConfigFile(name: string, text: string): { layer: ConfigLayer; warnings: string[] } {
  const where = `config file ${JSON.stringify(name)}`;
  const body = text.replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (err) {
    const { line, column } = jsonErrorPosition(body);
    throw new ConfigError(`${where}: invalid JSON at line ${line}, column ${column}: ${(err as Error).message}`);
  }
  if (!isObject(raw)) throw new ConfigError(`${where}: expected a JSON object at the top level, got ${kind(raw)}`);
  const reader = new FileReader(where);
  reader.read(raw);
  return { layer: reader.layer, warnings: reader.warnings };
}

export interface ConfigSources {
  /** All files merged in order. */
  layer: ConfigLayer;
  /** The files read, in order. */
  files: string[];
  warnings: string[];
}

const reason = (err: unknown) => (err as Error).message;

/**
 * Reads -config-file / -config-dir paths in order, as Consul does: a directory contributes its
 * *.json files (alphabetical, not recursive; other files are skipped with a warning), a file is
 * read itself. HCL is refused with a clear message. Later files override earlier ones.
 */
export function readConfigSources(paths: readonly string[], format?: 'json'): ConfigSources {
  const out: ConfigSources = { layer: {}, files: [], warnings: [] };
  const readOne = (file: string) => {
    if (format !== 'json' && file.endsWith('.hcl')) throw new ConfigError(`config file ${JSON.stringify(file)}: ${HCL_UNSUPPORTED}`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read config file ${JSON.stringify(file)}: ${reason(err)}`);
    }
    const { layer, warnings } = parseConfigFile(file, text);
    out.layer = mergeLayers(out.layer, layer);
    out.files.push(file);
    out.warnings.push(...warnings);
  };
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      throw new ConfigError(`cannot read config path ${JSON.stringify(path)} (from -config-file/-config-dir): ${reason(err)}`);
    }
    if (!isDir) {
      if (format !== 'json' && !path.endsWith('.json') && !path.endsWith('.hcl')) {
        throw new ConfigError(`config file ${JSON.stringify(path)}: cannot tell its format: name it *.json, or pass -config-format=json`);
      }
      readOne(path);
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(path).sort();
    } catch (err) {
      throw new ConfigError(`cannot read config dir ${JSON.stringify(path)}: ${reason(err)}`);
    }
    for (const name of names) {
      const file = join(path, name);
      try {
        if (statSync(file).isDirectory()) continue;
      } catch (err) {
        throw new ConfigError(`cannot read config file ${JSON.stringify(file)}: ${reason(err)}`);
      }
      if (format === 'json' || name.endsWith('.json') || name.endsWith('.hcl')) readOne(file);
      else out.warnings.push(`config dir ${JSON.stringify(path)}: skipping ${JSON.stringify(name)}: only *.json files are read (or pass -config-format=json)`);
    }
  }
  return out;
}
