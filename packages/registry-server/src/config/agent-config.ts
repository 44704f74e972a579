/**
 * The agent's validated configuration: flags and config files merged (config/load-config.ts).
 * Durations are in milliseconds.
 */
export interface AgentConfig {
  dev: boolean;
  server: boolean;
  bootstrap: boolean;
  /** Absent only with -dev (memory only). */
  dataDir?: string;
  nodeName: string;
  /** UUID; generated (and kept in the data dir) when not given. */
  nodeId?: string;
  nodeMeta: Record<string, string>;
  datacenter: string;
  bindAddr: string;
  /** Addresses the HTTP (and later DNS) listeners bind to. */
  clientAddrs: string[];
  ports: { http: number; dns: number; server: number };
  defaultQueryTime: number;
  maxQueryTime: number;
  /** The shortest session TTL a client may ask for (session_ttl_min, default 10s). */
  sessionTtlMin: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  pidFile?: string;
  enableScriptChecks: boolean;
  enableLocalScriptChecks: boolean;
  uiEnabled: boolean;
  limits: {
    kvMaxValueSize: number;
    txnMaxReqLen: number;
    httpMaxConnsPerClient: number;
    /** limits.snapshot_max_size: the most PUT /v1/snapshot reads, compressed and inflated (bytes). */
    snapshotMaxSize: number;
  };
  /** Service definitions from config files, decoded with SERVICE_SCHEMA (agent/service-definition.ts). */
  services: Array<Record<string, unknown>>;
  /** Node-level check definitions from config files, decoded with CHECK_SCHEMA. */
  checks: Array<Record<string, unknown>>;
  /** The config files read, in order, for messages and reload. */
  configFiles: string[];
}
