import { performance } from 'node:perf_hooks';
import type { Logger } from 'winston';
import type { Cluster } from '../backend/cluster.js';
import { JoinError } from '../errors.js';
import { joinUrl } from '../membership/member.js';
import { sendMembership } from '../membership/peer-client.js';
import { RemoteDatacenter, type RemoteServer } from './remote-datacenter.js';
import { datacenterServers, MAX_DATACENTERS, MAX_SERVERS_PER_DATACENTER, parseWanMessage, WAN_PATH, type WanMessage } from './wan-message.js';

export interface WanPoolOptions {
  /** How often each server of another datacenter is probed (ms). */
  probeIntervalMs?: number;
  /** How long one probe may take (ms). */
  probeTimeoutMs?: number;
  /** Probes in a row without an answer before a server is failed. */
  failAfter?: number;
  /** The longest wait between probes of a server (or a -retry-join-wan address) that does not answer (ms). */
  maxBackoffMs?: number;
  /** How long a failed server is kept before it is forgotten (ms); Consul's reconnect_timeout_wan default. */
  reapAfterMs?: number;
  /** The `encrypt` key: the exchange is signed and verified with it, as the other membership messages. */
  key?: Buffer;
}

export const WAN_DEFAULTS = { probeIntervalMs: 3000, probeTimeoutMs: 5000, failAfter: 2, maxBackoffMs: 30_000, reapAfterMs: 72 * 3600_000 } as const;

/** A -retry-join-wan address: probed until a server known at that address answers for it. */
interface Seed {
  address: string;
  url: string;
  nextProbeAt: number;
  misses: number;
}

const urlOf = (http: string) => `http://${http}`;

/**
 * The servers of the other datacenters, as this server knows them (Consul's WAN pool, without
 * gossip). It learns them from the -retry-join-wan addresses and from every exchange
 * (wan-message.ts) it sends or receives, and probes each known server every probeIntervalMs:
 * failAfter probes without an answer fail it, and it is then probed less often (doubling up to
 * maxBackoffMs) until it answers again. A datacenter whose servers have all failed keeps its
 * name in datacenters() (as Consul, last) but forwardTargets() gives no server for it.
 * stop() aborts the probes in flight and is safe to call twice.
 */
export class WanPool {
  private readonly dcs = new Map<string, RemoteDatacenter>();
  private readonly seeds: Seed[];
  private readonly opts: Required<Omit<WanPoolOptions, 'key'>> & WanPoolOptions;
  private readonly inFlight = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly datacenter: string,
    private readonly cluster: Cluster,
    seeds: readonly string[],
    private readonly log: Logger,
    options: WanPoolOptions = {},
  ) {
    this.opts = { ...WAN_DEFAULTS, ...options };
    this.seeds = seeds.map((address) => ({ address, url: joinUrl(address), nextProbeAt: 0, misses: 0 }));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.round(), this.opts.probeIntervalMs);
    this.timer.unref();
    this.round();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const c of this.inFlight.values()) c.abort();
    this.inFlight.clear();
  }

  /** Every known datacenter: this one first, then the others by round-trip time, those without a live server last. */
  datacenters(): string[] {
    const others = [...this.dcs.values()].map((dc) => ({ name: dc.name, rtt: dc.alive().length > 0 ? dc.rtt() : Infinity }));
    others.sort((a, b) => a.rtt - b.rtt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return [this.datacenter, ...others.map((d) => d.name)];
  }

  /** The datacenters with their servers, for /v1/agent/members?wan=1: this one first, then by name. */
  servers(): Array<{ datacenter: string; servers: Array<Pick<RemoteServer, 'name' | 'addr' | 'http' | 'status'>> }> {
    const own = this.cluster.servers().map((s) => ({ ...s, status: 'alive' as const }));
    const others = [...this.dcs.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    return [{ datacenter: this.datacenter, servers: own }, ...others.map((dc) => ({ datacenter: dc.name, servers: [...dc.servers.values()] }))];
  }

  /**
   * The base URLs of the live servers of `dc`, in a random order (to spread the load), or
   * undefined for a datacenter this server does not know. Empty when none is alive.
   */
  forwardTargets(dc: string): string[] | undefined {
    const d = this.dcs.get(dc);
    if (!d) return undefined;
    const urls = d.alive().map((s) => urlOf(s.http));
    for (let i = urls.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [urls[i], urls[j]] = [urls[j]!, urls[i]!];
    }
    return urls;
  }

  /** PUT /v1/agent/join/:address?wan=1: one exchange with the server there; throws a JoinError when it fails. */
  async join(address: string): Promise<void> {
    let url: string;
    try {
      url = joinUrl(address);
    } catch (err) {
      throw new JoinError(address, (err as Error).message);
    }
    try {
      await this.exchange(url);
    } catch (err) {
      throw new JoinError(address, (err as Error).message);
    }
  }

  /** PUT /v1/internal/praetor/wan: a server of another datacenter sent what it knows; answers what this one knows. */
  heard(message: WanMessage): WanMessage {
    this.learn(message);
    return this.message();
  }

  /** What this server tells the others: its datacenter's servers first, then the live servers of the others. */
  message(): WanMessage {
    const others = [...this.dcs.values()]
      .map((dc) => ({ Datacenter: dc.name, Servers: dc.alive().map((s) => ({ Name: s.name, Addr: s.addr, HTTP: s.http })) }))
      .filter((d) => d.Servers.length > 0);
    return { Datacenters: [datacenterServers(this.datacenter, this.cluster.servers()), ...others.slice(0, MAX_DATACENTERS - 1)] };
  }

  /** One probe round: every server (and unanswered -retry-join-wan address) that is due. */
  private round(): void {
    const now = Date.now();
    const due = now + this.opts.probeIntervalMs / 2;
    const known = new Set<string>();
    for (const dc of this.dcs.values()) {
      for (const s of dc.servers.values()) {
        known.add(urlOf(s.http));
        if (s.status === 'failed' && now - s.failedSince! > this.opts.reapAfterMs) {
          dc.servers.delete(s.name);
          this.log.info(`forgot server ${s.name} of datacenter ${dc.name}: it has not answered for ${Math.round(this.opts.reapAfterMs / 3600_000)}h`);
          this.checkReachable(dc, true);
        } else if (s.nextProbeAt <= due) {
          this.probeServer(dc, s);
        }
      }
      if (dc.servers.size === 0) this.dcs.delete(dc.name);
    }
    for (const seed of this.seeds) if (!known.has(seed.url) && seed.nextProbeAt <= due) this.probeSeed(seed);
  }

  private backoff(misses: number): number {
    return Math.min(this.opts.probeIntervalMs * 2 ** Math.max(0, misses - this.opts.failAfter), this.opts.maxBackoffMs);
  }

  private probeServer(dc: RemoteDatacenter, s: RemoteServer): void {
    const url = urlOf(s.http);
    if (this.inFlight.has(url)) return;
    s.nextProbeAt = Date.now() + this.opts.probeIntervalMs;
    this.exchange(url).then(
      () => undefined, // exchange() marked it alive through what the answer says
      (err: Error) => {
        if (this.timer === undefined || dc.servers.get(s.name) !== s) return;
        s.misses++;
        s.nextProbeAt = Date.now() + this.backoff(s.misses);
        if (s.status === 'alive' && s.misses >= this.opts.failAfter) {
          s.status = 'failed';
          s.failedSince = Date.now();
          this.log.warn(`server ${s.name} of datacenter ${dc.name} failed: ${err.message}`);
          this.checkReachable(dc, true);
        } else {
          this.log.debug(`server ${s.name} of datacenter ${dc.name} did not answer: ${err.message}`);
        }
      },
    );
  }

  private probeSeed(seed: Seed): void {
    if (this.inFlight.has(seed.url)) return;
    seed.nextProbeAt = Date.now() + this.opts.probeIntervalMs;
    this.exchange(seed.url).then(
      () => {
        if (seed.misses > 0) this.log.info(`joined the WAN pool through ${seed.address}`);
        seed.misses = 0;
      },
      (err: Error) => {
        if (this.timer === undefined) return;
        seed.misses++;
        seed.nextProbeAt = Date.now() + Math.min(this.opts.probeIntervalMs * 2 ** (seed.misses - 1), this.opts.maxBackoffMs);
        const line = `cannot join the WAN pool through ${seed.address} (retrying): ${err.message}`;
        if (seed.misses === 1) this.log.warn(line);
        else this.log.debug(line);
      },
    );
  }

  /** Sends this server's message to `url`, learns the answer and measures the round trip. */
  private async exchange(url: string): Promise<void> {
    const abort = new AbortController();
    this.inFlight.set(url, abort);
    try {
      const t0 = performance.now();
      const body = await sendMembership(url, WAN_PATH, this.message(), this.opts.probeTimeoutMs, { signal: abort.signal, key: this.opts.key });
      const rtt = performance.now() - t0;
      let answer: WanMessage;
      try {
        answer = parseWanMessage(body);
      } catch (err) {
        throw new Error(`${url} sent an invalid answer: ${(err as Error).message}`);
      }
      const dc = answer.Datacenters[0]!.Datacenter;
      if (dc === this.datacenter) throw new Error(`${url} is a server of this datacenter (${dc}): WAN joins name servers of other datacenters`);
      this.learn(answer, url);
      const d = this.dcs.get(dc);
      d?.addRtt(rtt);
      const s = d && [...d.servers.values()].find((x) => urlOf(x.http) === url);
      if (s) this.answered(d, s);
    } finally {
      if (this.inFlight.get(url) === abort) this.inFlight.delete(url);
    }
  }

  private answered(dc: RemoteDatacenter, s: RemoteServer): void {
    s.misses = 0;
    s.nextProbeAt = Math.max(s.nextProbeAt, Date.now() + this.opts.probeIntervalMs / 2);
    if (s.status === 'alive') return;
    const wasReachable = dc.alive().length > 0;
    s.status = 'alive';
    s.failedSince = undefined;
    this.log.info(`server ${s.name} of datacenter ${dc.name} answers again`);
    if (!wasReachable) this.checkReachable(dc, false);
  }

  /** Says in the log when a datacenter loses its last live server, or gets one back. */
  private checkReachable(dc: RemoteDatacenter, lost: boolean): void {
    const alive = dc.alive().length;
    if (lost && alive === 0) this.log.warn(`no server of datacenter ${dc.name} answers: requests with ?dc=${dc.name} fail until one does`);
    if (!lost && alive > 0) this.log.info(`datacenter ${dc.name} is reachable again: requests with ?dc=${dc.name} are forwarded`);
  }

  /**
   * Takes in a message. Its first datacenter is the sender's own, whose list is authoritative:
   * servers it no longer names are dropped. The other datacenters only add servers not known yet.
   */
  private learn(m: WanMessage, from?: string): void {
    m.Datacenters.forEach((d, i) => {
      if (d.Datacenter === this.datacenter) return;
      let dc = this.dcs.get(d.Datacenter);
      const isNew = !dc;
      if (!dc) {
        if (this.dcs.size >= MAX_DATACENTERS - 1) {
          this.log.warn(`ignoring datacenter ${d.Datacenter}: this server already knows ${this.dcs.size + 1} datacenters, the most it keeps`);
          return;
        }
        dc = new RemoteDatacenter(d.Datacenter);
        this.dcs.set(d.Datacenter, dc);
        this.log.info(`learned datacenter ${d.Datacenter}${from ? ` from ${from}` : ''}`, { servers: d.Servers.map((s) => s.Name) });
      }
      const wasReachable = dc.alive().length > 0;
      if (i === 0) for (const name of dc.servers.keys()) if (!d.Servers.some((s) => s.Name === name)) dc.servers.delete(name);
      for (const s of d.Servers) {
        const known = dc.servers.get(s.Name);
        if (known) {
          if (i === 0) Object.assign(known, { addr: s.Addr, http: s.HTTP });
        } else if (dc.servers.size < MAX_SERVERS_PER_DATACENTER) {
          dc.servers.set(s.Name, { name: s.Name, datacenter: d.Datacenter, addr: s.Addr, http: s.HTTP, status: 'alive', misses: 0, nextProbeAt: 0 });
        }
      }
      if (dc.servers.size === 0) this.dcs.delete(dc.name);
      else if (!isNew && !wasReachable) this.checkReachable(dc, false);
    });
  }
}
