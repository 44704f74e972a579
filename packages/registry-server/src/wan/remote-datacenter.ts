/** A server of another datacenter, as this server sees it. */
export interface RemoteServer {
  name: string;
  datacenter: string;
  /** `bind:server-port`, as its datacenter reports it. */
  addr: string;
  /** Where its HTTP API listens (host:port). */
  http: string;
  status: 'alive' | 'failed';
  /** Probes in a row that got no answer. */
  misses: number;
  /** When to probe it next (ms since the epoch). */
  nextProbeAt: number;
  /** When it became failed (ms since the epoch). */
  failedSince?: number;
}

/** How many round-trip samples a datacenter keeps; its RTT is their median. */
export const RTT_SAMPLES = 7;

/**
 * One other datacenter: its servers by name and the round-trip times of the last probes
 * answered by any of them (ms).
 */
export class RemoteDatacenter {
  readonly servers = new Map<string, RemoteServer>();
  private readonly rtts: number[] = [];

  constructor(readonly name: string) {}

  addRtt(ms: number): void {
    this.rtts.push(ms);
    if (this.rtts.length > RTT_SAMPLES) this.rtts.shift();
  }

  /** The median of the last round trips (ms), or Infinity before any answered. */
  rtt(): number {
    if (this.rtts.length === 0) return Infinity;
    const sorted = [...this.rtts].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }

  alive(): RemoteServer[] {
    return [...this.servers.values()].filter((s) => s.status === 'alive');
  }
}
