import type { BlockingOptions, ExactKvPair, KvPair, QueryResponse, ServiceEntry, ServiceRegistration, SessionEntry, SessionRequest } from './api-types.js';

export interface HealthQuery extends BlockingOptions {
  /** Every tag must be on the instance (sent as repeated ?tag=, which current Consul supports). */
  tags?: string[];
  /** Only instances whose checks all pass. */
  passing?: boolean;
  /** A Consul filter expression. */
  filter?: string;
  dc?: string;
}

/**
 * The discovery reads a service needs, as blocking queries. Errors reject; a missing KV key is
 * `null`, not an error (so a client can block on a key that does not exist yet).
 */
export interface DiscoveryClient {
  /** The registry address requests go to first, for messages (an AxiosClient has one). */
  readonly address?: string;
  healthService(name: string, q?: HealthQuery): Promise<QueryResponse<ServiceEntry[]>>;
  kv(key: string, q?: BlockingOptions & { recurse?: boolean; dc?: string }): Promise<QueryResponse<KvPair[] | null>>;
}

/** The agent calls a service makes about itself. */
export interface AgentClient {
  register(reg: ServiceRegistration): Promise<void>;
  deregister(serviceID: string): Promise<void>;
  /** TTL heartbeat; rejects with UnknownCheckError when the agent does not know the check. */
  updateTtl(checkID: string, status: 'passing' | 'warning' | 'critical', output?: string): Promise<void>;
  /** Whether the agent still has the service registered. */
  hasService(serviceID: string): Promise<boolean>;
  maintenance(serviceID: string, enable: boolean, reason?: string): Promise<void>;
}

/** The session calls of a process that keeps its own session alive. */
export interface SessionClient {
  /** Creates a session; resolves with its ID. */
  createSession(req: SessionRequest): Promise<string>;
  /** Restarts the session's TTL; null when the server no longer has the session (404). */
  renewSession(id: string): Promise<SessionEntry | null>;
  /** Ends the session (its locks are released or deleted); a session already gone is fine. */
  destroySession(id: string): Promise<void>;
}

/** The KV calls of a lock: one key read with exact Flags, ?acquire, ?release and a CAS delete. */
export interface LockClient extends SessionClient {
  /** One key, Flags exact; null when absent. `consistent` reads through the leader. */
  kvPair(key: string, q?: BlockingOptions & { consistent?: boolean }): Promise<QueryResponse<ExactKvPair | null>>;
  /** PUT ?acquire: whether the session got the lock. Rejects with InvalidSessionError when the session does not exist. */
  kvAcquire(key: string, session: string, value: Buffer | null, flags: bigint): Promise<boolean>;
  /** PUT ?release: whether the session held the lock and gave it up. */
  kvRelease(key: string, session: string, value: Buffer | null, flags: bigint): Promise<boolean>;
  /** DELETE ?cas: whether the key was still at `modifyIndex` and is now gone. */
  kvDeleteCas(key: string, modifyIndex: number): Promise<boolean>;
}

export type Client = DiscoveryClient & AgentClient & LockClient;
