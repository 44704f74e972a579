import type { EtcdConfig, StoreKind } from './store-config.js';
import type { DnsSettings } from './dns-settings.js';

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
  /** Addresses the HTTP and DNS listeners bind to. */
  clientAddrs: string[];
  /** dns -1: no DNS interface. sidecarMin/Max: the range sidecar proxies get ports from (0 in either: none). */
  ports: { http: number; dns: number; server: number; sidecarMin: number; sidecarMax: number };
  dns: DnsSettings;
  defaultQueryTime: number;
  maxQueryTime: number;
  /** The shortest session TTL a client may ask for (session_ttl_min, default 10s). */
  sessionTtlMin: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  pidFile?: string;
  /** -recover-data-dir: set damaged state files aside and start from the valid state (embedded-backend.ts). */
  recoverDataDir?: boolean;
  enableScriptChecks: boolean;
  enableLocalScriptChecks: boolean;
  /**
   * check_update_interval (ms, default 5m): a check result that changes only the output reaches
   * the catalog this long (±50%) later; the agent's own endpoints show it at once. 0: at once.
   */
  checkUpdateInterval: number;
  /** discard_check_output: check outputs are stored empty (reloadable). */
  discardCheckOutput: boolean;
  /** check_output_max_size / -check_output_max_size (bytes, default 4096): the most output a check keeps. */
  checkOutputMaxSize: number;
  /** leave_on_terminate: SIGTERM is a graceful leave (default: clients yes, servers no; reloadable). */
  leaveOnTerminate: boolean;
  /** skip_leave_on_interrupt: SIGINT just stops, without leaving (default: clients no, servers yes; reloadable). */
  skipLeaveOnInterrupt: boolean;
  uiEnabled: boolean;
  /**
   * The `encrypt` key (base64, checked): membership messages between agents are signed and
   * verified with it (membership/message-auth.ts). Absent: they are not authenticated.
   */
  encrypt?: string;
  /** reconnect_timeout (ms): a member failed for longer is removed, with its node. */
  reconnectTimeout: number;
  /**
   * member_timeout (ms, Praetor's own key): a client member whose heartbeats stop for this long is
   * failed (its serfHealth critical); clients heartbeat every third of it.
   */
  memberTimeout: number;
  /**
   * httpRequestTimeout / httpHeadersTimeout (ms; `limits.http_request_timeout` and
   * `limits.http_headers_timeout`, Praetor's own keys): how long a client may take to send a whole
   * request, and its headers. Unset: the defaults of http/server.ts.
   */
  limits: {
    kvMaxValueSize: number;
    txnMaxReqLen: number;
    httpMaxConnsPerClient: number;
    /** limits.snapshot_max_size: the most PUT /v1/snapshot reads, compressed and inflated (bytes). */
    snapshotMaxSize: number;
    httpRequestTimeout?: number;
    httpHeadersTimeout?: number;
  };
  /** Service definitions from config files, decoded with SERVICE_SCHEMA (agent/service-definition.ts). */
  services: Array<Record<string, unknown>>;
  /** Node-level check definitions from config files, decoded with CHECK_SCHEMA. */
  checks: Array<Record<string, unknown>>;
  /** The config files read, in order, for messages and reload. */
  configFiles: string[];
  /** -retry-join-wan / retry_join_wan: base URLs (`http://host:port`) of servers of other datacenters. */
  retryJoinWan: string[];
  /** Where the state lives (`store` / -store). */
  store: StoreKind;
  /** With store etcd: how to reach the cluster (`etcd` / -etcd-endpoints). */
  etcd?: EtcdConfig;
  /** A client agent (no -server): how it reaches the servers and keeps their catalog in sync. */
  client?: ClientConfig;
}

/** A client agent's settings (durations in ms). */
export interface ClientConfig {
  /** -join / start_join: servers to join at start; the start fails when none answers. */
  join: string[];
  /** -retry-join / retry_join: servers to join, retried until one answers. */
  retryJoin: string[];
  /** -retry-interval / retry_interval: the longest wait between join attempts (the first waits 1 s, then doubling). */
  retryInterval: number;
  /** -retry-max / retry_max: join attempts before giving up (0: never give up). */
  retryMax: number;
  /** -sync-interval: the period of the full anti-entropy sync for up to 128 members, scaled up as Consul's. */
  syncInterval: number;
}
