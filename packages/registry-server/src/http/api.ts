import type { Logger } from 'winston';
import type { Agent } from '../agent/agent.js';
import type { Backend } from '../backend/backend.js';
import type { AgentConfig } from '../config/agent-config.js';
import type { Cluster } from '../backend/cluster.js';
import type { SessionRenewer } from '../leader/session-renewer.js';
import type { MemberList } from '../membership/member-list.js';
import type { MemberLeaseStore } from '../membership/member-leases.js';
import type { StateStore } from '../state/state-store.js';
import type { WanPool } from '../wan/wan-pool.js';
import type { ApiRequest } from './api-request.js';
import type { Reply } from './reply.js';
import type { AgentCacheMarks } from './agent-cache.js';
import type { ResponseCache } from './response-cache.js';

/** What handlers reach: the configuration, the store to read, the backend to write, the local agent. */
export interface Api {
  config: AgentConfig;
  store: StateStore;
  backend: Backend;
  agent: Agent;
  /** Session TTLs (renew goes through them). */
  sessions: SessionRenewer;
  /** The servers of the datacenter and which one leads. */
  cluster: Cluster;
  /** Cluster members (join, leave, force-leave). */
  members: MemberList;
  /** The servers of the other datacenters (servers only). */
  wan?: WanPool;
  /** Servers: client members that attach by heartbeat (their liveness leases and records). Client agents have none. */
  leases?: MemberLeaseStore;
  log: Logger;
  /** Encoded answers of heavy reads, by request and index. */
  cache: ResponseCache;
  /** This agent's DNS interface as other agents reach it (`host:port`), once it listens; client agents relay DNS to their server's. */
  dns?: string;
  /** The reads answered with ?cached (X-Cache: MISS, then HIT). */
  agentCache: AgentCacheMarks;
  /** Re-reads the config files (PUT /v1/agent/reload, as SIGHUP); throws a ReloadError when they are invalid. */
  reload?: () => Promise<unknown>;
}

export type Handler = (req: ApiRequest, api: Api) => Reply | Promise<Reply>;

/** Methods → handler for one path. */
export type Methods = Partial<Record<'GET' | 'PUT' | 'POST' | 'DELETE', Handler>>;

export interface Route {
  /** `/v1/kv/` with `prefix: true` matches `/v1/kv/<anything>`, which becomes req.param. */
  path: string;
  prefix?: boolean;
  methods: Methods;
}
