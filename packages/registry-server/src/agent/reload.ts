import type { Logger } from 'winston';
import type { SyncSummary } from '../commands/agent-sync-config.js';
import type { AgentConfig } from '../config/agent-config.js';
import { ConfigError, PraetorError, ReloadError } from '../errors.js';
import { Serial } from '../internal/serial.js';
import type { Agent } from './agent.js';

/**
 * Every configuration field, and what a reload does with it: `null` when the reload applies
 * it, else the config key to name in the "restart needed" warning. A Record over every key,
 * so a new AgentConfig field does not compile until it is classified here.
 */
export const RELOAD_FIELDS: Record<keyof Required<AgentConfig>, string | null> = {
  services: null,
  checks: null,
  nodeMeta: null,
  logLevel: null,
  configFiles: null,
  dev: '-dev',
  server: 'server',
  bootstrap: 'bootstrap',
  dataDir: 'data_dir',
  nodeName: 'node_name',
  nodeId: 'node_id',
  datacenter: 'datacenter',
  bindAddr: 'bind_addr',
  clientAddrs: 'client_addr',
  ports: 'ports',
  defaultQueryTime: 'default_query_time',
  maxQueryTime: 'max_query_time',
  sessionTtlMin: 'session_ttl_min',
  pidFile: 'pid_file',
  recoverDataDir: '-recover-data-dir',
  enableScriptChecks: null,
  enableLocalScriptChecks: null,
  checkUpdateInterval: 'check_update_interval',
  discardCheckOutput: null,
  checkOutputMaxSize: 'check_output_max_size',
  leaveOnTerminate: null,
  skipLeaveOnInterrupt: null,
  uiEnabled: 'ui_config.enabled',
  limits: 'limits',
  encrypt: 'encrypt',
  reconnectTimeout: 'reconnect_timeout',
  memberTimeout: 'member_timeout',
  store: 'store',
  etcd: 'etcd',
  client: 'start_join, retry_join, retry_interval, retry_max (or -sync-interval)',
  retryJoinWan: 'retry_join_wan',
  dns: 'dns_config (or domain, alt_domain, recursors)',
};

/** The settings that differ between two configurations and need a restart, by config key. */
export function restartNeeded(running: AgentConfig, next: AgentConfig): string[] {
  const keys: string[] = [];
  for (const [field, key] of Object.entries(RELOAD_FIELDS) as Array<[keyof AgentConfig, string | null]>) {
    if (key !== null && JSON.stringify(running[field]) !== JSON.stringify(next[field])) keys.push(key);
  }
  return keys;
}

/**
 * SIGHUP and PUT /v1/agent/reload: reads the config files again with the agent's original
 * command line and applies what can change while running (Consul's reloadable set that
 * Praetor has): services and checks defined in files (added, changed, removed; see
 * ConfigSync), node metadata and the log level; and, stricter than Consul, the script-check
 * flags: a script check they no longer allow stops running (logged, and critical). Other
 * changed settings are kept as they are, with a warning that a restart is needed. An invalid
 * file or definition throws a ReloadError and leaves the running configuration untouched.
 * Reloads run one at a time.
 */
export class Reloader {
  private readonly serial: Serial;

  constructor(
    /** Loads and validates the configuration (loadAgentConfig with the agent's arguments). */
    private readonly load: () => { config: AgentConfig; warnings: string[] },
    private readonly agent: Agent,
    private readonly setLogLevel: (level: AgentConfig['logLevel']) => void,
    private readonly log: Logger,
    /** Reloads wait for this: the agent's start, which registers the node and the file definitions. */
    started: Promise<unknown> = Promise.resolve(),
  ) {
    this.serial = new Serial(started);
  }

  reload(): Promise<SyncSummary> {
    return this.serial.run(() => this.run());
  }

  private async run(): Promise<SyncSummary> {
    const running = this.agent.config;
    let next: AgentConfig;
    try {
      const loaded = this.load();
      next = loaded.config;
      for (const w of loaded.warnings) this.log.warn(w);
    } catch (err) {
      if (err instanceof ConfigError) throw new ReloadError(err.message);
      throw err;
    }
    for (const key of restartNeeded(running, next)) {
      this.log.warn(`${key} changed in the configuration but cannot be reloaded: restart the agent to apply it; keeping the running value`, { setting: key });
    }
    const metaChanged = JSON.stringify(running.nodeMeta) !== JSON.stringify(next.nodeMeta);
    // The new script-check flags hold before the new definitions are written, so that no
    // script they refuse starts even for a moment; put back if the reload fails.
    const flags = { enableScriptChecks: running.enableScriptChecks, enableLocalScriptChecks: running.enableLocalScriptChecks };
    const flagsChanged = flags.enableScriptChecks !== next.enableScriptChecks || flags.enableLocalScriptChecks !== next.enableLocalScriptChecks;
    running.enableScriptChecks = next.enableScriptChecks;
    running.enableLocalScriptChecks = next.enableLocalScriptChecks;
    let summary: SyncSummary;
    try {
      if (flagsChanged) this.agent.scriptFlagsChanged();
      summary = await this.agent.syncConfig(next.services, next.checks, metaChanged ? next.nodeMeta : undefined);
    } catch (err) {
      Object.assign(running, flags);
      if (flagsChanged) this.agent.scriptFlagsChanged();
      if (err instanceof PraetorError && !(err instanceof ReloadError)) throw new ReloadError(`Failed reloading services and checks: ${err.message}`);
      throw err;
    }
    if (flagsChanged) {
      this.log.info('script-check flags changed', { enable_script_checks: next.enableScriptChecks, enable_local_script_checks: next.enableLocalScriptChecks });
    }
    if (next.logLevel !== running.logLevel) {
      this.setLogLevel(next.logLevel);
      this.log.info('log level changed', { from: running.logLevel, to: next.logLevel });
    }
    // The running configuration is shared (the agent, the HTTP API): its reloadable fields change in place.
    running.services = next.services;
    running.checks = next.checks;
    running.nodeMeta = next.nodeMeta;
    running.logLevel = next.logLevel;
    running.configFiles = next.configFiles;
    running.discardCheckOutput = next.discardCheckOutput;
    running.leaveOnTerminate = next.leaveOnTerminate;
    running.skipLeaveOnInterrupt = next.skipLeaveOnInterrupt;
    const fields: Record<string, string> = {};
    for (const [kind, changes] of Object.entries(summary)) {
      for (const [what, ids] of Object.entries(changes as Record<string, string[]>)) if (ids.length > 0) fields[`${kind}_${what}`] = ids.join(',');
    }
    if (metaChanged) fields.node_meta = 'changed';
    this.log.info(Object.keys(fields).length > 0 ? 'configuration reloaded' : 'configuration reloaded: no changes', fields);
    return summary;
  }
}
