import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { Logger } from 'winston';
import { Agent } from '../agent/agent.js';
import { Reloader } from '../agent/reload.js';
import { EmbeddedBackend } from '../backend/embedded/embedded-backend.js';
import { ClientCluster } from '../client/client-cluster.js';
import { ClientLink } from '../client/client-link.js';
import { clientRoutes } from '../client/client-routes.js';
import { forwardToServers } from '../client/forward-to-servers.js';
import { DnsRelay } from '../client/dns-relay.js';
import { RemoteAliasSource } from '../client/remote-alias-source.js';
import type { ServerPool } from '../client/server-pool.js';
import { startDns } from '../dns/start-dns.js';
import type { AgentConfig } from '../config/agent-config.js';
import { loadAgentConfig } from '../config/load-config.js';
import { AgentCacheMarks } from '../http/agent-cache.js';
import { ResponseCache } from '../http/response-cache.js';
import { HttpApi } from '../http/server.js';
import { removeTempFiles } from '../internal/durable-file.js';
import { setLogLevel } from '../log.js';
import { heartbeat } from '../membership/heartbeat.js';
import { MemberList } from '../membership/member-list.js';
import { selfInfo } from '../membership/self-info.js';
import { readNodeID, saveNodeID } from '../node-id.js';
import { StateStore } from '../state/state-store.js';
import { leavesOnSignal, type AgentSignals } from './agent-signals.js';
import { listenHttp, lockDataDir, onDataDirFatal, printBanner } from './agent-start.js';

/**
 * `praetor agent` without -server: a client agent. Its own store (in -data-dir) holds only its
 * node: the services and checks registered through its API and config files, which it runs
 * and syncs into the servers' catalog (client/anti-entropy.ts); every other request goes to a
 * server (client/forward-to-servers.ts). Returns the exit code.
 */
export async function runClientAgent(argv: string[], config: AgentConfig, log: Logger, signals: AgentSignals): Promise<number> {
  const dataDir = config.dataDir!;
  const lock = lockDataDir(dataDir, log);
  if (!lock) return 1;
  const onFatal = onDataDirFatal(log, () => signals.stop('SIGTERM'));
  const store = new StateStore();
  const backend = new EmbeddedBackend(store, dataDir, log.child({ component: 'store' }), { onFatal, recover: config.recoverDataDir });
  try {
    await backend.load();
  } catch (err) {
    log.error(`cannot load the agent's local state from the data dir: ${(err as Error).message}`);
    lock.release();
    return 1;
  }
  const { id: nodeID, fresh: freshNodeID } = await readNodeID(config.nodeId, dataDir);
  const key = config.encrypt ? Buffer.from(config.encrypt, 'base64') : undefined;
  // Alias checks of other nodes read them from the servers, through the link made below.
  const agent = new Agent(config, nodeID, backend, store, log.child({ component: 'agent' }), new RemoteAliasSource((): ServerPool => link.pool));
  // Not started as a member list (a client probes nobody): it holds this agent's announcement and checks signatures.
  const members = new MemberList(selfInfo(config, agent.node, nodeID), backend, log.child({ component: 'members' }), { key });
  // One kept-alive connection for the heartbeats, rather than a new one every few seconds.
  const heartbeatAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const link = new ClientLink(
    config.client!,
    agent.node,
    store,
    (url, a, timeoutMs) => heartbeat(url, a, timeoutMs, key, heartbeatAgent),
    (status) => members.announcement(status),
    log.child({ component: 'client' }),
    (why) => {
      log.error(`giving up: ${why}`);
      process.exitCode = 1;
      signals.stop('SIGTERM');
    },
  );
  let markStarted = () => undefined as void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const reloader = new Reloader(() => loadAgentConfig(argv, { keepDisallowedScripts: true }), agent, (level) => setLogLevel(log, level), log.child({ component: 'agent' }), started);
  const forwarder = forwardToServers(link.pool, log.child({ component: 'forward' }));
  const httpApi = new HttpApi(
    clientRoutes(link, () => signals.stop('leave')),
    {
      config,
      store,
      backend,
      agent,
      sessions: { renew: () => undefined },
      cluster: new ClientCluster(link),
      members,
      log: log.child({ component: 'http' }),
      cache: new ResponseCache(undefined, undefined, () => store.watches.generation),
      agentCache: new AgentCacheMarks(),
      reload: () => reloader.reload(),
    },
    { unmatched: forwarder.intercept },
  );
  const closeAll = async () => {
    link.stop();
    agent.stop();
    members.stop();
    store.watches.close();
    await httpApi.close();
    forwarder.close();
    heartbeatAgent.destroy();
    await backend.close();
    lock.release();
  };
  const addrs = await listenHttp(httpApi, config, log);
  if (!addrs) {
    await closeAll();
    return 1;
  }
  try {
    await backend.open();
    const left = await removeTempFiles(dataDir);
    if (left.length > 0) log.info('removed files a crash left half-written; the files they were replacing are intact', { files: left });
    if (freshNodeID) await saveNodeID(dataDir, nodeID);
    await agent.start();
    await members.start(addrs.map((a) => a.slice('http://'.length)));
    await link.start();
  } catch (err) {
    log.error(`cannot start: ${(err as Error).message.trim()}`);
    await closeAll();
    return 1;
  }
  const dns = await startDns(config, new DnsRelay(() => link.heartbeats.serverDns()), log.child({ component: 'dns' }));
  markStarted();
  if (config.pidFile) await fs.writeFile(config.pidFile, `${process.pid}\n`);
  printBanner({ node: agent.node, addrs, dns: dns?.addrs, role: 'server: false, bootstrap: false', dataDir: path.resolve(dataDir) }, config.datacenter);
  log.info('client agent started', { node: agent.node, http: addrs.join(','), servers: link.pool.list().join(',') });
  signals.onHangup(() => {
    log.info('caught signal, reloading the configuration', { signal: 'SIGHUP' });
    reloader.reload().catch((err: Error) => log.error('reload failed; the running configuration is unchanged', { error: err.message }));
  });

  return new Promise<number>((resolve) => {
    signals.onStop((signal) => {
      void (async () => {
        log.info(signal === 'leave' ? 'left the cluster; shutting down' : 'caught signal, shutting down (a second signal exits at once)', { signal });
        // By default (as Consul's clients) both signals are a graceful leave; without one, the servers see the member fail.
        if (leavesOnSignal(signal, config)) await link.leave();
        await dns?.server.close();
        await closeAll();
        if (config.pidFile) await fs.rm(config.pidFile, { force: true });
        log.info('agent stopped');
        resolve(typeof process.exitCode === 'number' ? process.exitCode : 0);
      })();
    });
  });
}
