import type { Indexed } from './indexed.js';

export type CheckStatus = 'passing' | 'warning' | 'critical';
export const CHECK_STATUSES: readonly CheckStatus[] = ['passing', 'warning', 'critical'];

/** What the agent needs to run a check; durations as Go duration strings. Empty fields are omitted. */
export interface CheckDefinition {
  HTTP?: string;
  Header?: Record<string, string[]>;
  Method?: string;
  Body?: string;
  TLSSkipVerify?: boolean;
  TCP?: string;
  GRPC?: string;
  GRPCUseTLS?: boolean;
  TTL?: string;
  ScriptArgs?: string[];
  /** A docker check: the container ScriptArgs run in, and the shell Consul records with it. */
  DockerContainerID?: string;
  Shell?: string;
  /** An alias check: the node (absent: this agent's own) and the service ID whose health it mirrors. */
  AliasNode?: string;
  AliasService?: string;
  Interval?: string;
  Timeout?: string;
  DeregisterCriticalServiceAfter?: string;
  OutputMaxSize?: number;
  SuccessBeforePassing?: number;
  FailuresBeforeWarning?: number;
  FailuresBeforeCritical?: number;
}

export type CheckType = '' | 'http' | 'tcp' | 'grpc' | 'ttl' | 'script' | 'docker' | 'alias' | 'maintenance';

/** A health check as stored and as /v1/health and /v1/agent/checks return it. */
export interface HealthCheck extends Indexed {
  Node: string;
  CheckID: string;
  Name: string;
  Status: CheckStatus;
  Notes: string;
  Output: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[];
  Type: CheckType;
  Definition: CheckDefinition;
}

export const SERF_CHECK_ID = 'serfHealth';
export const SERF_CHECK_NAME = 'Serf Health Status';
export const NODE_MAINT_CHECK_ID = '_node_maintenance';
export const SERVICE_MAINT_PREFIX = '_service_maintenance:';
