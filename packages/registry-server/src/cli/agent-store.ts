import fs from 'node:fs';
import { Etcd3, type IOptions } from 'etcd3';
import type { Logger } from 'winston';
import type { Backend } from '../backend/backend.js';
import { SoleCluster, type Cluster, type ServerInfo } from '../backend/cluster.js';
import { EmbeddedBackend } from '../backend/embedded/embedded-backend.js';
import { EtcdBackend } from '../backend/etcd/etcd-backend.js';
import { EtcdCluster } from '../backend/etcd/etcd-cluster.js';
import { EtcdJanitor } from '../backend/etcd/etcd-janitor.js';
import { EtcdKeys } from '../backend/etcd/etcd-keys.js';
import { EtcdMemberLeases } from '../backend/etcd/etcd-member-leases.js';
import { ServerHealth } from '../backend/etcd/server-health.js';
import { SessionExpiry } from '../backend/etcd/session-expiry.js';
import { MemoryBackend } from '../backend/memory-backend.js';
import type { AgentConfig } from '../config/agent-config.js';
import type { EtcdConfig } from '../config/store-config.js';
import { SoleLeadership } from '../leader/leadership.js';
import type { SessionRenewer } from '../leader/session-renewer.js';
import { SessionTimers } from '../leader/session-timers.js';
import { LocalMemberLeases } from '../membership/local-member-leases.js';
import { MemberHealth } from '../membership/member-health.js';
import type { MemberLeaseStore } from '../membership/member-leases.js';
import { LEFT_MEMBER_TTL_MS } from '../membership/member-limits.js';
import type { StateStore } from '../state/state-store.js';
import { TombstoneGc } from '../state/tombstone-gc.js';

/** The state's backend with the cluster around it, as the agent composes them. */
export interface StoreParts {
  backend: Backend;
  cluster: Cluster;
  sessions: SessionRenewer;
  /** Client members' liveness leases (heartbeats), shared by the servers of the datacenter. */
  leases: MemberLeaseStore;
  /** Starts the cluster's part (announcement, leader duties) once the agent is up. */
  start(): Promise<void>;
  /** Stops the duties and leaves the cluster; then the backend closes. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** This server as the others see it. */
  self: ServerInfo;
  /** The embedded store's data dir cannot be written any more. */
  onFatal: (err: Error) => void;
  /** With the embedded store: keep the state in the data dir (else in memory, -dev). */
  durable: boolean;
}

/** Builds the store the configuration asks for: embedded (one server, always leader) or etcd. */
export function openStore(config: AgentConfig, store: StateStore, log: Logger, opts: StoreOptions): StoreParts {
  const tombstones = new TombstoneGc(store, log.child({ component: 'store' }), { kvTombstones: config.store !== 'etcd' });
  if (config.store === 'etcd') return etcdStore(config, config.etcd!, store, log, opts, tombstones);
  const backend: Backend = opts.durable
    ? new EmbeddedBackend(store, config.dataDir!, log.child({ component: 'store' }), { onFatal: opts.onFatal, recover: config.recoverDataDir })
    : new MemoryBackend(store);
  const leadership = new SoleLeadership();
  const sessions = new SessionTimers(store, backend, log.child({ component: 'session' }));
  const leases = new LocalMemberLeases(config.memberTimeout);
  return {
    backend,
    cluster: new SoleCluster(opts.self, leadership),
    sessions,
    leases,
    async start() {
      leadership.add(sessions);
      leadership.add(memberHealth(config, leases, backend, store, log));
      tombstones.start();
    },
    async close() {
      tombstones.stop();
      leadership.close();
      leases.close();
    },
  };
}

function etcdStore(config: AgentConfig, etcd: EtcdConfig, store: StateStore, log: Logger, opts: StoreOptions, tombstones: TombstoneGc): StoreParts {
  const options: IOptions = { hosts: etcd.endpoints, dialTimeout: etcd.dialTimeout };
  if (etcd.tls?.caFile) {
    options.credentials = {
      rootCertificate: fs.readFileSync(etcd.tls.caFile),
      ...(etcd.tls.keyFile ? { privateKey: fs.readFileSync(etcd.tls.keyFile) } : {}),
      ...(etcd.tls.certFile ? { certChain: fs.readFileSync(etcd.tls.certFile) } : {}),
    };
  }
  const client = new Etcd3(options);
  const storeLog = log.child({ component: 'etcd' });
  // A lagging mirror, for the tests that show reads wait for it (never set in production).
  const mirrorDelayMs = Number(process.env.PRAETOR_TEST_MIRROR_DELAY_MS ?? 0) || 0;
  if (mirrorDelayMs > 0) storeLog.warn(`PRAETOR_TEST_MIRROR_DELAY_MS: this server applies etcd's changes ${mirrorDelayMs} ms late (fault injection for tests)`);
  const backend = new EtcdBackend(store, client, new EtcdKeys(etcd.prefix, config.datacenter), storeLog, { mirrorDelayMs });
  const cluster = new EtcdCluster(backend, opts.self, storeLog);
  const leases = new EtcdMemberLeases(backend, config.memberTimeout, config.nodeName, log.child({ component: 'members' }));
  return {
    backend,
    cluster,
    sessions: cluster,
    leases,
    async start() {
      cluster.leadership.add(memberHealth(config, leases, backend, store, log));
      cluster.leadership.add(new SessionExpiry(backend, log.child({ component: 'session' })));
      cluster.leadership.add(new ServerHealth(backend, cluster, log.child({ component: 'leader' })));
      cluster.leadership.add(new EtcdJanitor(backend, storeLog));
      tombstones.start();
      await cluster.start();
    },
    async close() {
      tombstones.stop();
      leases.close();
      await cluster.close();
    },
  };
}

/** The leader duty that turns client members' leases into the catalog. */
function memberHealth(config: AgentConfig, leases: MemberLeaseStore, backend: Backend, store: StateStore, log: Logger): MemberHealth {
  return new MemberHealth(leases, backend, store, log.child({ component: 'members' }), {
    timeoutMs: config.memberTimeout,
    reconnectTimeoutMs: config.reconnectTimeout,
    leftTtlMs: Math.min(LEFT_MEMBER_TTL_MS, config.reconnectTimeout),
  });
}
