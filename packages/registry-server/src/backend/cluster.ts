import type { Leadership } from '../leader/leadership.js';

/** A Praetor server as the others see it. */
export interface ServerInfo {
  /** Node name. */
  name: string;
  /** `bind:server-port`, as /v1/status/leader and /v1/status/peers answer it. */
  addr: string;
  /** Where its HTTP API listens (host:port). */
  http: string;
}

/**
 * The servers of this datacenter, as a backend knows them: with the embedded store, this one
 * alone; with etcd, every server holding a live lease.
 */
export interface Cluster {
  readonly leadership: Leadership;
  /** The leader's `bind:server-port`, or '' when no server leads now. */
  leader(): string;
  /** Every live server, sorted by address. */
  servers(): ServerInfo[];
  /** Whether a leader is known and this server is in contact with the store (X-Consul-KnownLeader). */
  knownLeader(): boolean;
  /** Milliseconds since this server last heard from the store (X-Consul-LastContact; 0 when it is local). */
  lastContact(): number;
}

/** The embedded store's cluster: one server that always leads. */
export class SoleCluster implements Cluster {
  constructor(
    private readonly self: ServerInfo,
    readonly leadership: Leadership,
  ) {}

  leader(): string {
    return this.self.addr;
  }

  servers(): ServerInfo[] {
    return [this.self];
  }

  knownLeader(): boolean {
    return true;
  }

  lastContact(): number {
    return 0;
  }
}
