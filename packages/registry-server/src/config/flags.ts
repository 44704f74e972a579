import yargsParser from 'yargs-parser';
import { parseEndpoints, parseEtcdObject, parseStoreKind } from './store-config.js';
import { ConfigError } from '../errors.js';
import { GO_FLAG_SYNTAX } from '../internal/go-flag-syntax.js';
import { CONSUL_ONLY_FLAGS } from './consul-keys.js';
import { parseMemberTimeout } from '../membership/member-limits.js';
import { dnsPort, parseDomain, parseRecursor } from './dns-settings.js';
import type { ConfigLayer } from './layer.js';
import {
  checkOutputMaxSize,
  checkPort,
  checkUint,
  HCL_UNSUPPORTED,
  parseBool,
  parseDatacenter,
  parseInteger,
  parseIp,
  parseIpList,
  parseLogLevel,
  parseMetaPair,
  parseNodeId,
  parsePositiveDuration,
  parseQueryTime,
} from './values.js';

/** What the `praetor agent` command line says; `layer` overrides every config file. */
export interface AgentFlags {
  dev: boolean;
  /** -h / -help: the caller prints agentUsage() and exits 0. */
  help: boolean;
  /** -config-file and -config-dir paths in command-line order (each may be a file or a directory, as in Consul). */
  configPaths: string[];
  /** -config-format=json: read every file as JSON whatever its name. */
  configFormat?: 'json';
  layer: ConfigLayer;
  warnings: string[];
}

type FlagSpec =
  | { kind: 'bool'; usage: string; apply(f: AgentFlags, v: boolean): void }
  | { kind: 'value'; arg: string; usage: string; apply(f: AgentFlags, v: string): void };

const bool = (usage: string, apply: (f: AgentFlags, v: boolean) => void): FlagSpec => ({ kind: 'bool', usage, apply });
const value = (arg: string, usage: string, apply: (f: AgentFlags, v: string) => void): FlagSpec => ({ kind: 'value', arg, usage, apply });
const port = (f: AgentFlags, name: 'http' | 'server', v: string) => {
  f.layer.ports = { ...f.layer.ports, [name]: checkPort(parseInteger(v)) };
};

/** The flags, as Consul spells them; each maps to a config-file key. */
const FLAGS = new Map<string, FlagSpec>(Object.entries({
  bind: value('address', 'Address for cluster communication (an IP; default 127.0.0.1).', (f, v) => { f.layer.bindAddr = parseIp(v); }),
  bootstrap: bool('Server elects itself leader (one server only). Meaningless with -store etcd: etcd keeps the quorum, and the servers elect a leader through it.', (f, v) => { f.layer.bootstrap = v; }),
  'bootstrap-expect': value('n', 'Servers to wait for before electing (1 = -bootstrap). Meaningless with -store etcd (etcd keeps the quorum).', (f, v) => { f.layer.bootstrapExpect = checkUint(parseInteger(v)); }),
  client: value('addresses', 'Address(es) for the HTTP and DNS interfaces, space-separated (default 127.0.0.1).', (f, v) => { f.layer.clientAddrs = parseIpList(v); }),
  'config-dir': value('dir', 'Read every *.json file in this directory, in alphabetical order. Repeatable.', (f, v) => { f.configPaths.push(v); }),
  'config-file': value('file', 'Read this JSON config file. Repeatable; later files override earlier ones.', (f, v) => { f.configPaths.push(v); }),
  'config-format': value('json', 'Read config files as this format whatever their extension.', (f, v) => {
    if (v === 'hcl') throw new Error(HCL_UNSUPPORTED);
    if (v !== 'json') throw new Error('must be "json"');
    f.configFormat = 'json';
  }),
  'data-dir': value('path', 'Directory for durable state. Required unless -dev.', (f, v) => { f.layer.dataDir = v; }),
  datacenter: value('name', 'Datacenter of this agent (default dc1).', (f, v) => { f.layer.datacenter = parseDatacenter(v); }),
  'default-query-time': value('duration', 'Blocking query wait when the client gives none (default 300s).', (f, v) => { f.layer.defaultQueryTime = parseQueryTime(v); }),
  dev: bool('Development mode: in memory, a server that is its own leader, UI on, debug logs.', (f, v) => { f.dev = v; }),
  'dns-port': value('port', 'DNS port, UDP and TCP (default 8600; 0 = any free port; -1 = no DNS).', (f, v) => { f.layer.ports = { ...f.layer.ports, dns: dnsPort(parseInteger(v)) }; }),
  domain: value('domain', 'DNS domain served (default consul.).', (f, v) => { f.layer.dns = { ...f.layer.dns, domain: parseDomain(v) }; }),
  'alt-domain': value('domain', 'A second DNS domain served like -domain.', (f, v) => { f.layer.dns = { ...f.layer.dns, altDomain: parseDomain(v) }; }),
  recursor: value('address', 'DNS server (ip[:port]) for names outside the domains. Repeatable.', (f, v) => { f.layer.dns = { ...f.layer.dns, recursors: [...(f.layer.dns?.recursors ?? []), parseRecursor(v)] }; }),
  'etcd-endpoints': value('urls', 'With -store etcd: the etcd members, comma-separated (http://127.0.0.1:2379,...).', (f, v) => { f.layer.etcd = { ...f.layer.etcd, endpoints: parseEndpoints(v) }; }),
  'etcd-binary': value('path', 'With -bootstrap-expect N (N > 1) and no -store etcd: the etcd each server runs as its member (default: etcd on PATH).', (f, v) => { f.layer.etcdBinary = v; }),
  'etcd-prefix': value('prefix', 'With -store etcd: keys live under /<prefix>/<datacenter>/ (default praetor); servers of one datacenter share it.', (f, v) => { f.layer.etcd = { ...f.layer.etcd, ...parseEtcdObject({ prefix: v }) }; }),
  check_output_max_size: value('bytes', 'The most output a check keeps (default 4096); a check\'s OutputMaxSize may only lower it.', (f, v) => { f.layer.checkOutputMaxSize = checkOutputMaxSize(parseInteger(v)); }),
  'enable-local-script-checks': bool('Allow script checks defined in config files.', (f, v) => { f.layer.enableLocalScriptChecks = v; }),
  'enable-script-checks': bool('Allow script checks, including ones registered over HTTP.', (f, v) => { f.layer.enableScriptChecks = v; }),
  encrypt: value(
    'key',
    'Shared key (base64 of 16, 24 or 32 bytes, as Consul\'s) that authenticates membership messages between agents: ' +
      'every agent of the cluster needs the same one. Praetor has no gossip, so nothing is encrypted, and the rest of the HTTP API is not protected by it.',
    (f, v) => { f.layer.encrypt = v; },
  ),
  h: bool('Show this help.', (f, v) => { f.help = v; }),
  hcl: value('fragment', 'Not supported yet.', () => { throw new Error(HCL_UNSUPPORTED); }),
  help: bool('Show this help.', (f, v) => { f.help = v; }),
  'http-port': value('port', 'HTTP API port (default 8500; 0 = any free port).', (f, v) => port(f, 'http', v)),
  'log-level': value('level', 'trace, debug, info, warn or error (default info).', (f, v) => { f.layer.logLevel = parseLogLevel(v); }),
  'max-query-time': value('duration', 'Longest blocking query wait a client may ask for (default 600s).', (f, v) => { f.layer.maxQueryTime = parseQueryTime(v); }),
  'member-timeout': value(
    'duration',
    'How long a client agent may go without a heartbeat before servers mark it failed and its serfHealth critical (default 6s, at least 1s; clients heartbeat every third of it).',
    (f, v) => { f.layer.memberTimeout = parseMemberTimeout(v); },
  ),
  node: value('name', 'Node name, unique in the cluster (default: the host name).', (f, v) => { f.layer.nodeName = v; }),
  'node-id': value('uuid', 'Node ID, a UUID (default: generated and kept in the data dir).', (f, v) => { f.layer.nodeId = parseNodeId(v); }),
  'node-meta': value('key:value', 'Node metadata. Repeatable.', (f, v) => {
    const [k, val] = parseMetaPair(v);
    f.layer.nodeMeta = Object.fromEntries([...Object.entries(f.layer.nodeMeta ?? {}), [k, val]]);
  }),
  'pid-file': value('path', 'Write the agent PID to this file.', (f, v) => { f.layer.pidFile = v; }),
  'recover-data-dir': bool(
    'Start even if the newest snapshot in the data dir cannot be read or the log is damaged: move the damaged files into <data-dir>/damaged-<time>/ (kept intact) and start from the valid state before them. Without it the agent refuses to start and names the file.',
    (f, v) => { f.layer.recoverDataDir = v; },
  ),
  join: value('address', 'A client: a server to join at start (its HTTP host, or host:port); the start fails when none answers. Repeatable.', (f, v) => { f.layer.startJoin = [...(f.layer.startJoin ?? []), v]; }),
  'retry-join': value('address', 'A server to join (its HTTP host, or host:port), retried until one answers. Repeatable. Clients join the servers; servers with -bootstrap-expect N form their etcd cluster.', (f, v) => { f.layer.retryJoin = [...(f.layer.retryJoin ?? []), v]; }),
  'retry-interval': value('duration', 'A client: the longest wait between -retry-join attempts (default 30s; the first wait is 1s, doubling).', (f, v) => { f.layer.retryInterval = parsePositiveDuration(v); }),
  'retry-max': value('count', 'A client: -retry-join attempts before the agent gives up and exits (default 0: never).', (f, v) => { f.layer.retryMax = checkUint(parseInteger(v)); }),
  'sync-interval': value('duration', "A client: how often the full anti-entropy sync runs with up to 128 members (default 60s, scaled up with the cluster's size as Consul does); every local change is synced at once.", (f, v) => { f.layer.syncInterval = parsePositiveDuration(v); }),
  'retry-join-wan': value(
    'address',
    "A server of another datacenter to join (its HTTP address, host or host:port, port 8500 when left out), retried until it answers. Repeatable. Each server learns the other datacenter's servers from it, and they learn this one's.",
    (f, v) => { f.layer.retryJoinWan = [...(f.layer.retryJoinWan ?? []), v]; },
  ),
  server: bool('Server mode.', (f, v) => { f.layer.server = v; }),
  'server-port': value('port', 'Server RPC port (default 8300; 0 = any free port).', (f, v) => port(f, 'server', v)),
  store: value('kind', 'Where the state lives: embedded (default: in -data-dir, one server) or etcd (an etcd cluster shared by several servers, for high availability; see -etcd-endpoints).', (f, v) => { f.layer.store = parseStoreKind(v); }),
  ui: bool('Serve the web UI.', (f, v) => { f.layer.uiEnabled = v; }),
}));

const HINT = "Run 'praetor agent -h' for the list of flags.";

/**
 * Parses `praetor agent` arguments with Go's flag syntax (-flag, --flag, -flag=value,
 * -flag value; booleans as -dev or -dev=false). Values are checked here, so an error names
 * the flag; rules that involve several settings are checked in load-config.ts.
 */
export function parseAgentFlags(argv: readonly string[]): AgentFlags {
  const parsed = yargsParser.detailed([...argv], {
    // Every flag of ours stays untyped so a missing value shows as `true` and a bad boolean
    // as its text; Consul-only boolean flags are typed so they never swallow the next word.
    boolean: Object.keys(CONSUL_ONLY_FLAGS).filter((k) => CONSUL_ONLY_FLAGS[k]),
    // Consul treats both as "a file or a directory" and reads them in command-line order.
    alias: { 'config-file': ['config-dir'] },
    configuration: { ...GO_FLAG_SYNTAX, 'strip-aliased': true },
  });
  const flags: AgentFlags = { dev: false, help: false, configPaths: [], layer: {}, warnings: [] };
  const ignored: string[] = [];
  for (const [name, raw] of Object.entries(parsed.argv)) {
    if (name === '_') continue;
    const spec = FLAGS.get(name);
    if (!spec) {
      if (Object.hasOwn(CONSUL_ONLY_FLAGS, name)) {
        ignored.push(`-${name}`);
        continue;
      }
      throw new ConfigError(`flag provided but not defined: -${name}\n${HINT}`);
    }
    for (const v of Array.isArray(raw) ? raw : [raw]) apply(flags, name === 'config-file' ? 'config-file (or -config-dir)' : name, spec, v);
  }
  const extra = parsed.argv._.map(String);
  if (extra.length > 0) throw new ConfigError(`Unknown extra arguments: [${extra.join(' ')}]\n${HINT}`);
  if (ignored.length > 0) {
    flags.warnings.push(`ignoring Consul agent flags that Praetor does not implement: ${ignored.join(', ')}`);
  }
  return flags;
}

function apply(flags: AgentFlags, name: string, spec: FlagSpec, raw: unknown): void {
  if (spec.kind === 'bool') {
    const text = String(raw);
    let v: boolean;
    try {
      v = raw === true ? true : parseBool(text);
    } catch (err) {
      throw new ConfigError(`invalid boolean value ${JSON.stringify(text)} for -${name}: ${(err as Error).message}`);
    }
    spec.apply(flags, v);
    return;
  }
  if (raw === true) throw new ConfigError(`flag needs an argument: -${name}\n${HINT}`);
  const text = String(raw);
  try {
    spec.apply(flags, text);
  } catch (err) {
    throw new ConfigError(`invalid value ${JSON.stringify(text)} for flag -${name}: ${(err as Error).message}`);
  }
}

/** True when the arguments ask for help; the caller prints agentUsage() instead of starting. */
export function isHelpRequest(argv: readonly string[]): boolean {
  return argv.some((a) => /^--?h(elp)?(=.*)?$/.test(a));
}

/** The `praetor agent -h` text. */
export function agentUsage(): string {
  const lines = ['Usage: praetor agent [options]', '', '  Starts the Praetor agent (a Consul-compatible registry).', '', 'Options:', ''];
  for (const [name, spec] of [...FLAGS].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (name === 'h' || name === 'hcl') continue;
    lines.push(`  -${name}${spec.kind === 'value' ? `=<${spec.arg}>` : ''}`, `      ${spec.usage}`, '');
  }
  return lines.join('\n');
}
