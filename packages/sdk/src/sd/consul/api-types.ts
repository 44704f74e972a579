/** The parts of Consul's JSON the SDK reads and writes (field names as Consul spells them). */

export interface ConsulCheck {
  CheckID: string;
  Name?: string;
  Status: 'passing' | 'warning' | 'critical';
  Output?: string;
  ServiceID?: string;
}

export interface ServiceEntry {
  Node: { Node: string; Address: string; Datacenter?: string; Meta?: Record<string, string> };
  Service: {
    ID: string;
    Service: string;
    Tags: string[] | null;
    Address: string;
    Port: number;
    Meta: Record<string, string> | null;
    Weights?: { Passing: number; Warning: number };
  };
  Checks: ConsulCheck[];
}

export interface KvPair {
  Key: string;
  /** base64, or null for an empty value */
  Value: string | null;
  Flags: number;
  CreateIndex: number;
  ModifyIndex: number;
  LockIndex: number;
  Session?: string;
}

/** A check as a service registration carries it (AgentServiceCheck). */
export interface CheckDefinition {
  CheckID?: string;
  Name?: string;
  Notes?: string;
  Status?: 'passing' | 'warning' | 'critical';
  HTTP?: string;
  Method?: string;
  Header?: Record<string, string[]>;
  TCP?: string;
  GRPC?: string;
  GRPCUseTLS?: boolean;
  TTL?: string;
  /** A script check: the command and its arguments (the agent must allow script checks). */
  Args?: string[];
  Interval?: string;
  Timeout?: string;
  TLSSkipVerify?: boolean;
  DeregisterCriticalServiceAfter?: string;
  SuccessBeforePassing?: number;
  FailuresBeforeCritical?: number;
}

/** AgentServiceRegistration. */
export interface ServiceRegistration {
  ID?: string;
  Name: string;
  Tags?: string[];
  Address?: string;
  Port?: number;
  Meta?: Record<string, string>;
  Weights?: { Passing: number; Warning: number };
  EnableTagOverride?: boolean;
  Check?: CheckDefinition;
  Checks?: CheckDefinition[];
}

/** A read's value with the index to block on next. */
export interface QueryResponse<T> {
  value: T;
  index: number;
}

export interface BlockingOptions {
  /** The index of the last answer; 0 or absent answers at once. */
  index?: number;
  /** How long the server may hold the request (ms). */
  waitMs?: number;
  /** Aborts the request (a blocking query waits up to wait + wait/16 otherwise). */
  signal?: AbortSignal;
}

/** A KV pair whose Flags are exact: KV flags are a uint64, wider than a JS number's 53 bits. */
export interface ExactKvPair extends Omit<KvPair, 'Flags'> {
  Flags: bigint;
}

/** What PUT /v1/session/create takes (the fields the SDK sets; durations as Go strings). */
export interface SessionRequest {
  Name?: string;
  /** Default: the agent's node. */
  Node?: string;
  /** e.g. "15s"; the server invalidates the session after twice this without a renewal. */
  TTL?: string;
  /** How long a key this session held stays unacquirable after the session is invalidated. */
  LockDelay?: string;
  /** What invalidation does to the keys the session holds. */
  Behavior?: 'release' | 'delete';
  /** Node checks the session is bound to; absent, the server binds it to serfHealth. */
  Checks?: string[];
}

/** A session as /v1/session/* answers it. */
export interface SessionEntry {
  ID: string;
  Name: string;
  Node: string;
  /** Nanoseconds. */
  LockDelay: number;
  Behavior: 'release' | 'delete';
  TTL: string;
  NodeChecks?: string[] | null;
  CreateIndex: number;
  ModifyIndex: number;
}
