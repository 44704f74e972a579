import fs from 'node:fs/promises';
import path from 'node:path';
import { Agent } from '../agent/agent.js';
import { Reloader } from '../agent/reload.js';
import type { DataDirLock } from '../backend/embedded/data-dir-lock.js';
import { agentUsage } from '../config/flags.js';
import { openStore } from './agent-store.js';
import { EtcdSupervisor } from '../backend/etcd/supervised/etcd-supervisor.js';
import { loadAgentConfig } from '../config/load-config.js';
import { MemberList } from '../membership/member-list.js';
import { MEMBERS_FILE } from '../membership/members-file.js';
import { selfInfo } from '../membership/self-info.js';
import { PraetorError } from '../errors.js';
import { AgentCacheMarks } from '../http/agent-cache.js';
import { ResponseCache } from '../http/response-cache.js';
import { HttpApi } from '../http/server.js';
import { ROUTES } from '../http/routes.js';
import { createLogger, setLogLevel } from '../log.js';
import { installProcessGuards } from '../process-guards.js';
import { removeTempFiles } from '../internal/durable-file.js';
import { readNodeID, saveNodeID } from '../node-id.js';
import { StateStore } from '../state/state-store.js';
import { startDns, storeResolver } from '../dns/start-dns.js';
import { AgentSignals } from './agent-signals.js';
import type { Api } from '../http/api.js';
import { listenHttp, lockDataDir, onDataDirFatal, printBanner, reachableAddr, reachableHttp } from './agent-start.js';
import { runClientAgent } from './client-agent.js';
import { startWan } from '../wan/start-wan.js';


/** `praetor agent`: runs until SIGINT/SIGTERM (SIGHUP reloads the config files); returns the exit code. */
export async function runAgent(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('-help') || argv.includes('--help')) {
    process.stdout.write(agentUsage());
    return 0;
  }
  let loaded;
  try {
    loaded = loadAgentConfig(argv);
  } catch (err) {
    if (err instanceof PraetorError) {
      process.stderr.write(`==> ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const { config, warnings } = loaded;
  const log = createLogger(config.logLevel);
  installProcessGuards(log);
  for (const w of warnings) log.warn(w);

  const signals = new AgentSignals();
  if (!config.server) return runClientAgent(argv, config, log, signals);

  const store = new StateStore();
  const durable = config.dataDir !== undefined && !config.dev;
  // The data dir is ours alone for the life of the process: a second agent stops here, before
  // it touches any file.
  let lock: DataDirLock | null = null;
  if (durable) {
    lock = lockDataDir(config.dataDir!, log);
    if (!lock) return 1;
  }
  const onFatal = onDataDirFatal(log, () => signals.stop('SIGTERM'));
  // -bootstrap-expect N without -store etcd: this server runs its own etcd member first.
  let supervisor: EtcdSupervisor | null = null;
  const supervise = config.etcd?.supervise;
  if (supervise) {
    if (!durable) {
      log.error('cannot start: -bootstrap-expect runs an etcd member, which keeps its data in -data-dir');
      return 1;
    }
    supervisor = new EtcdSupervisor(
      { name: config.nodeName, bind: config.bindAddr, serverPort: config.ports.server, dir: path.join(config.dataDir!, 'etcd'), binary: supervise.binary, expect: supervise.expect, retryJoin: supervise.retryJoin },
      log.child({ component: 'etcd-member' }),
    );
    signals.onStop(() => void supervisor?.stop().then(() => process.exit(1)));
    try {
      config.etcd!.endpoints = await supervisor.start();
    } catch (err) {
      log.error(`cannot start this server's etcd member: ${(err as Error).message}`);
      await supervisor.stop();
      lock?.release();
      return 1;
    }
  }
  const self = { name: config.nodeName, addr: `${config.bindAddr}:${config.ports.server}`, http: '' };
  const parts = openStore(config, store, log, { self, onFatal, durable: durable && config.store === 'embedded' });
  const { backend, cluster, sessions, leases } = parts;
  // Until the ports are bound, the data dir is only read: a start that fails leaves it as it was.
  try {
    await backend.load();
  } catch (err) {
    log.error(`cannot load state from the data dir: ${(err as Error).message}`);
    await supervisor?.stop();
    lock?.release();
    return 1;
  }
  const { id: nodeID, fresh: freshNodeID } = await readNodeID(config.nodeId, durable ? config.dataDir : undefined);
  const agent = new Agent(config, nodeID, backend, store, log.child({ component: 'agent' }));
  const members = new MemberList(selfInfo(config, agent.node, nodeID), backend, log.child({ component: 'members' }), {
    file: config.dataDir && !config.dev ? path.join(config.dataDir, MEMBERS_FILE) : undefined,
    onLeave: () => signals.stop('leave'),
    key: config.encrypt ? Buffer.from(config.encrypt, 'base64') : undefined,
    reconnectTimeoutMs: config.reconnectTimeout,
  });
  let markStarted = () => undefined as void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const reloader = new Reloader(() => loadAgentConfig(argv, { keepDisallowedScripts: true }), agent, (level) => setLogLevel(log, level), log.child({ component: 'agent' }), started);
  const wan = startWan(config, cluster, log);
  const api: Api = {
    config,
    store,
    backend,
    agent,
    sessions,
    cluster,
    members,
    leases,
    log: log.child({ component: 'http' }),
    cache: new ResponseCache(undefined, undefined, () => store.watches.generation),
    agentCache: new AgentCacheMarks(),
    reload: () => reloader.reload(),
    wan: wan?.pool,
  };
  const httpApi = new HttpApi(ROUTES, api, { before: wan?.forwarder.intercept });

  const addrs = await listenHttp(httpApi, config, log);
  if (!addrs) {
    await httpApi.close();
    await backend.close();
    await supervisor?.stop();
    lock?.release();
    return 1;
  }
  try {
    await backend.open();
    if (durable) {
      const left = await removeTempFiles(config.dataDir!);
      if (left.length > 0) log.info('removed files a crash left half-written; the files they were replacing are intact', { files: left });
    }
    if (freshNodeID) await saveNodeID(config.dataDir!, nodeID);
  } catch (err) {
    log.error(`cannot write to the data dir: ${(err as Error).message}`);
    await httpApi.close();
    await backend.close();
    await supervisor?.stop();
    lock?.release();
    return 1;
  }
  self.http = reachableHttp(addrs, config.bindAddr);
  await parts.start();
  const dns = await startDns(config, storeResolver(config, store, log.child({ component: 'dns' })), log.child({ component: 'dns' }));
  if (dns) api.dns = reachableAddr(dns.addrs[0]!, config.bindAddr);
  await agent.start();
  backend.onRestoreElsewhere?.(() => {
    log.info('another server restored a snapshot; putting back this agent\'s node and file-defined services where missing');
    agent.afterRestore().catch((err: Error) => log.warn('could not put back the local node after another server\'s restore; a restart of this agent will', { error: err.message }));
  });
  await members.start(addrs.map((a) => a.slice('http://'.length)));
  wan?.pool.start();
  markStarted();
  if (config.pidFile) await fs.writeFile(config.pidFile, `${process.pid}\n`);

  printBanner({ node: agent.node, addrs, dns: dns?.addrs, role: `server: ${config.server}, bootstrap: ${config.bootstrap}`, dataDir: config.dev ? '(memory only, -dev)' : config.dataDir! }, config.datacenter);
  log.info('agent started', { node: agent.node, http: addrs.join(',') });
  signals.onHangup(() => {
    log.info('caught signal, reloading the configuration', { signal: 'SIGHUP' });
    reloader.reload().catch((err: Error) => log.error('reload failed; the running configuration is unchanged', { error: err.message }));
  });

  return new Promise<number>((resolve) => {
    const stop = async (signal: string) => {
      log.info(signal === 'leave' ? 'left the cluster; shutting down' : 'caught signal, shutting down (a second signal exits at once)', { signal });
      store.watches.close();
      agent.stop();
      await parts.close();
      members.stop();
      wan?.stop();
      await httpApi.close();
      await dns?.server.close();
      await backend.close();
      if (signal === 'leave') await supervisor?.leave();
      else await supervisor?.stop();
      lock?.release();
      if (config.pidFile) await fs.rm(config.pidFile, { force: true });
      log.info('agent stopped');
      resolve(typeof process.exitCode === 'number' ? process.exitCode : 0);
    };
    signals.onStop((signal) => void stop(signal));
  });
}
