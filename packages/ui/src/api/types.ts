/** The shapes of the API answers the UI reads (Consul's field names). */

export type Status = 'passing' | 'warning' | 'critical';

export interface HealthCheck {
  Node: string;
  CheckID: string;
  Name: string;
  Status: Status;
  Notes: string;
  Output: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags?: string[] | null;
  Type?: string;
  ModifyIndex: number;
}

export interface AgentService {
  ID: string;
  Service: string;
  Tags: string[] | null;
  Address: string;
  Port: number;
  Meta: Record<string, string> | null;
  Kind?: string;
}

export interface CatalogNode {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  Meta: Record<string, string> | null;
}

/** One element of /v1/health/service/<name>. */
export interface ServiceEntry {
  Node: CatalogNode;
  Service: AgentService;
  Checks: HealthCheck[];
}

/** /v1/catalog/node/<node>. */
export interface NodeServices {
  Node: CatalogNode;
  Services: Record<string, AgentService>;
}

export interface KvEntry {
  Key: string;
  Value: string | null;
  Flags: number;
  Session?: string;
  LockIndex: number;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface Session {
  ID: string;
  Name: string;
  Node: string;
  Behavior: string;
  TTL: string;
  LockDelay: number;
  NodeChecks?: string[] | null;
  ServiceChecks?: Array<{ ID: string }> | null;
  CreateIndex: number;
}
