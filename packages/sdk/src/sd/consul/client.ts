import type { BlockingOptions, KvPair, QueryResponse, ServiceEntry, ServiceRegistration } from './api-types.js';

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

export type Client = DiscoveryClient & AgentClient;
