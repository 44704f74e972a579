import { ETCD_DEFAULTS, type EtcdConfig } from './store-config.js';
import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import { normalizeCheck, type CheckRules } from '../agent/check-definition.js';
import { normalizeService } from '../agent/service-definition.js';
import { ConfigError } from '../errors.js';
import { parseEncryptKey } from '../membership/encrypt-key.js';
import { joinUrl } from '../membership/member.js';
import { MEMBER_TIMEOUT_DEFAULT_MS, RECONNECT_TIMEOUT_DEFAULT_MS, RECONNECT_TIMEOUT_MIN_MS } from '../membership/member-limits.js';
import type { AgentConfig } from './agent-config.js';
import { readConfigSources } from './config-file.js';
import { dnsSettings } from './dns-settings.js';
import { exposureWarning } from './exposure-warning.js';
import { agentUsage, parseAgentFlags } from './flags.js';
import { mergeLayers, type ConfigLayer, type Definition } from './layer.js';
import { nodeMetaProblem, nodeNameDnsWarning } from './values.js';

/** Praetor's defaults: Consul's, except that the agent binds to loopback only. */
export function defaultLayer(): ConfigLayer {
  return {
    server: false,
    bootstrap: false,
    bootstrapExpect: 0,
    nodeName: hostname(),
    nodeMeta: {},
    datacenter: 'dc1',
    bindAddr: '127.0.0.1',
    clientAddrs: ['127.0.0.1'],
    ports: { http: 8500, dns: 8600, server: 8300, sidecarMin: 21000, sidecarMax: 21255 },
    defaultQueryTime: 300_000,
    maxQueryTime: 600_000,
    sessionTtlMin: 10_000,
    logLevel: 'info',
    enableScriptChecks: false,
    enableLocalScriptChecks: false,
    checkUpdateInterval: 300_000,
    discardCheckOutput: false,
    checkOutputMaxSize: 4096,
    uiEnabled: false,
    limits: { kvMaxValueSize: 524_288, txnMaxReqLen: 524_288, httpMaxConnsPerClient: 200, snapshotMaxSize: 1024 ** 3 },
  };
}

/**
 * What -dev changes, below config files and flags (as Consul's DevSource): a server that is its
 * own leader, UI on, debug logs. Memory only: no data dir (load-config drops one if given).
 */
export const DEV_LAYER: Readonly<ConfigLayer> = Object.freeze({ server: true, bootstrap: true, uiEnabled: true, logLevel: 'debug' });

/**
 * Builds the agent's configuration from `praetor agent` arguments: defaults, then -dev, then the
 * config files in order, then the flags. Everything is validated here, once; a problem is a
 * ConfigError naming the flag or the file and key. Warnings (Consul settings Praetor ignores,
 * deprecated keys) are returned for the caller to log. `-h` is not a configuration: callers
 * check isHelpRequest() (flags.ts) first; here it throws a ConfigError carrying the usage.
 * A script check in the files that the script-check flags do not allow is such a problem,
 * unless `keepDisallowedScripts` (a reload: the agent keeps it registered but does not run it).
 */
export function loadAgentConfig(argv: string[], opts: { keepDisallowedScripts?: boolean } = {}): { config: AgentConfig; warnings: string[] } {
  const flags = parseAgentFlags(argv);
  if (flags.help) throw new ConfigError(agentUsage());
  const files = readConfigSources(flags.configPaths, flags.configFormat);
  const warnings = [...flags.warnings, ...files.warnings];
  const m: ConfigLayer = [defaultLayer(), flags.dev ? DEV_LAYER : {}, files.layer, flags.layer].reduce(mergeLayers);
  const { dev } = flags;

  let dataDir = m.dataDir;
  if (dev) {
    if (dataDir) warnings.push(`-dev keeps all state in memory; data_dir ${JSON.stringify(dataDir)} is ignored`);
    dataDir = undefined;
    for (const k of ['server', 'bootstrap'] as const) {
      if (m[k] === false) warnings.push(`-dev always runs a server that is its own leader; ${k} = false is ignored`);
    }
  } else {
    if (!dataDir) {
      throw new ConfigError('data_dir cannot be empty: pass -data-dir=<path> (or set "data_dir" in a config file), or use -dev for an in-memory agent');
    }
    checkDataDir(dataDir);
  }

  const nodeName = m.nodeName ?? '';
  if (nodeName === '') throw new ConfigError('node_name cannot be empty: pass -node=<name> or set "node_name" in a config file');
  const dnsWarning = nodeNameDnsWarning(nodeName);
  if (dnsWarning) warnings.push(dnsWarning);

  let bootstrap = dev || m.bootstrap === true;
  const server = dev || m.server === true;
  const expect = m.bootstrapExpect ?? 0;
  if (bootstrap && !server) throw new ConfigError("'bootstrap = true' requires 'server = true' (pass -server)");
  if (expect > 0 && !server) throw new ConfigError("'bootstrap_expect > 0' requires 'server = true' (pass -server)");
  if (expect > 0 && dev) throw new ConfigError("'bootstrap_expect > 0' not allowed in dev mode");
  if (expect > 0 && bootstrap) throw new ConfigError("'bootstrap_expect > 0' and 'bootstrap = true' are mutually exclusive");
  const store = m.store ?? 'embedded';
  let etcd: EtcdConfig | undefined;
  if (store === 'etcd') {
    if (!server) throw new ConfigError("'store = etcd' requires 'server = true' (pass -server): client agents keep no state");
    etcd = { ...ETCD_DEFAULTS, ...m.etcd };
    if (etcd.endpoints.length === 0) throw new ConfigError("'store = etcd' needs the etcd members: pass -etcd-endpoints=http://host:2379,... (or set etcd.endpoints)");
    if (m.bootstrap || expect > 0) warnings.push('bootstrap and bootstrap_expect mean nothing with store etcd and are ignored: etcd keeps the quorum, and the servers elect their leader through it');
  } else if (expect > 1) {
    // Consul's runbook: each server runs its own etcd member; they form one cluster.
    etcd = { ...ETCD_DEFAULTS, ...m.etcd, supervise: { expect, binary: m.etcdBinary ?? 'etcd', retryJoin: m.retryJoin ?? [] } };
    if ((m.retryJoin ?? []).length === 0) warnings.push(`bootstrap_expect = ${expect} without retry_join: this server waits for the others to join it`);
  } else if (m.etcd) {
    warnings.push("the etcd settings are ignored: the store is 'embedded' (pass -store etcd to use them)");
  }
  if (server && (m.retryJoin ?? []).length > 0 && !(store === 'embedded' && expect > 1)) {
    warnings.push('retry_join is used by clients, and by servers with bootstrap_expect > 1 (to form their etcd cluster); it is ignored on this server: servers on one etcd cluster find each other there, and other agents join with `praetor join`');
  }
  if (server) {
    for (const [key, set] of [['start_join', m.startJoin], ['retry_interval', m.retryInterval], ['retry_max', m.retryMax], ['sync_interval', m.syncInterval]] as const) {
      if (set !== undefined && !(Array.isArray(set) && set.length === 0)) warnings.push(`${key} is a client agent's setting and is ignored on a server`);
    }
  }
  if (store === 'etcd' || expect > 1) {
    // Nothing to do for bootstrap: see above.
  } else if (expect === 1) {
    bootstrap = true;
    warnings.push('BootstrapExpect is set to 1; this is the same as Bootstrap mode.');
  }


  const nodeMeta = m.nodeMeta ?? {};
  const metaProblem = nodeMetaProblem(nodeMeta);
  if (metaProblem) throw new ConfigError(`node_meta invalid: ${metaProblem}`);

  const defaultQueryTime = m.defaultQueryTime!;
  const maxQueryTime = m.maxQueryTime!;
  if (defaultQueryTime > maxQueryTime) {
    warnings.push(`default_query_time (${defaultQueryTime / 1000}s) is longer than max_query_time (${maxQueryTime / 1000}s); waits are capped at max_query_time`);
  }

  const clientAddrs = m.httpAddrs ?? m.clientAddrs!;
  if (m.dnsAddrs && m.dnsAddrs.join(' ') !== clientAddrs.join(' ')) {
    warnings.push(`addresses.dns (${m.dnsAddrs.join(' ')}) is not supported separately yet: DNS will use the HTTP addresses (${clientAddrs.join(' ')})`);
  }

  // As Consul: an empty key is no key; a bad one stops the agent with Consul's words.
  const encrypt = m.encrypt || undefined;
  if (encrypt !== undefined) {
    try {
      parseEncryptKey(encrypt);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  const exposed = exposureWarning(clientAddrs, encrypt !== undefined);
  if (exposed) warnings.push(exposed);

  // Consul documents 8h as the least reconnect_timeout; -dev agents (tests) may go lower.
  let reconnectTimeout = m.reconnectTimeout ?? RECONNECT_TIMEOUT_DEFAULT_MS;
  if (reconnectTimeout < RECONNECT_TIMEOUT_MIN_MS && !dev) {
    warnings.push(`reconnect_timeout (${reconnectTimeout / 1000}s) is below the 8h minimum; using 8h (only -dev agents accept a shorter value, for tests)`);
    reconnectTimeout = RECONNECT_TIMEOUT_MIN_MS;
  }

  const retryJoinWan = (m.retryJoinWan ?? []).map((a) => {
    try {
      return joinUrl(a);
    } catch (err) {
      throw new ConfigError(`retry_join_wan: ${(err as Error).message}`);
    }
  });
  if (!server && retryJoinWan.length > 0) warnings.push('retry_join_wan is used only by servers and is ignored here: client agents reach other datacenters through their servers');

  if (server && (m.leaveOnTerminate === true || m.skipLeaveOnInterrupt === false)) {
    warnings.push('leave_on_terminate / skip_leave_on_interrupt: a server does not leave the cluster on a signal in Praetor (it stops, and its etcd lease ends); run `praetor leave` to make it leave');
  }
  const enableScriptChecks = m.enableScriptChecks === true;
  const enableLocalScriptChecks = m.enableLocalScriptChecks === true;
  const services = m.services ?? [];
  const checks = m.checks ?? [];
  checkDefinitions(services, checks, { scriptsAllowed: enableScriptChecks || enableLocalScriptChecks || opts.keepDisallowedScripts === true });

  const config: AgentConfig = {
    dev,
    server,
    bootstrap,
    nodeName,
    nodeMeta,
    datacenter: m.datacenter!,
    bindAddr: m.bindAddr!,
    clientAddrs,
    ports: m.ports as AgentConfig['ports'],
    dns: dnsSettings(m.dns),
    defaultQueryTime,
    maxQueryTime,
    sessionTtlMin: m.sessionTtlMin!,
    logLevel: m.logLevel!,
    enableScriptChecks,
    enableLocalScriptChecks,
    checkUpdateInterval: m.checkUpdateInterval!,
    discardCheckOutput: m.discardCheckOutput === true,
    checkOutputMaxSize: m.checkOutputMaxSize!,
    // Consul's defaults: a client leaves on either signal, a server on neither (and Praetor's servers never do).
    leaveOnTerminate: !server && m.leaveOnTerminate !== false,
    skipLeaveOnInterrupt: server || m.skipLeaveOnInterrupt === true,
    uiEnabled: m.uiEnabled === true,
    reconnectTimeout,
    memberTimeout: m.memberTimeout ?? MEMBER_TIMEOUT_DEFAULT_MS,
    limits: m.limits as AgentConfig['limits'],
    services: services.map((d) => d.value),
    checks: checks.map((d) => d.value),
    configFiles: files.files,
    store: etcd ? 'etcd' : 'embedded',
    retryJoinWan,
  };
  if (etcd) config.etcd = etcd;
  if (!server) {
    config.client = { join: m.startJoin ?? [], retryJoin: m.retryJoin ?? [], retryInterval: m.retryInterval ?? 30_000, retryMax: m.retryMax ?? 0, syncInterval: m.syncInterval ?? 60_000 };
    if (config.client.join.length + config.client.retryJoin.length === 0) {
      warnings.push('this client agent has no server to join yet (-join / -retry-join): it forwards nothing until `praetor join SERVER` is run against it');
    }
  }
  if (dataDir !== undefined) config.dataDir = dataDir;
  if (m.nodeId !== undefined) config.nodeId = m.nodeId;
  if (m.pidFile !== undefined) config.pidFile = m.pidFile;
  if (m.recoverDataDir) config.recoverDataDir = true;
  if (encrypt !== undefined) config.encrypt = encrypt;
  return { config, warnings };
}

/** As Consul: a data dir that does not exist yet is fine (the agent creates it); a file is not. */
function checkDataDir(dir: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw new ConfigError(`data_dir ${JSON.stringify(dir)} is not a directory`);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`Error getting info on data_dir: ${(err as Error).message}`);
  }
}

/** Runs the agent's own validation on file-defined services and checks now, so startup fails early with the file named. */
function checkDefinitions(services: Definition[], checks: Definition[], rules: CheckRules): void {
  const at = (d: Definition, f: () => void) => {
    try {
      f();
    } catch (err) {
      throw new ConfigError(`${d.origin}: ${(err as Error).message}`);
    }
  };
  for (const d of services) at(d, () => normalizeService(d.value, rules));
  for (const d of checks) {
    at(d, () => {
      const c = normalizeCheck(d.value, { CheckID: '', Name: '', ServiceID: '' }, rules);
      if (c && !c.CheckID) throw new Error('a check needs a "name" or an "id"');
    });
  }
}
