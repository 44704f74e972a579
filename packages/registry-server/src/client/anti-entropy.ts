import type { Logger } from 'winston';
import type { StateStore } from '../state/state-store.js';
import { WatchSet } from '../state/watch-set.js';
import { SERF_CHECK_ID, type HealthCheck } from '../structs/check.js';
import type { Service } from '../structs/service.js';
import { canonical, catalogDiff, sentKey, type LocalNode, type RemoteNode, type Sent, type SyncWrite } from './catalog-diff.js';
import { askServers, ok } from './server-request.js';
import type { ServerPool } from './server-pool.js';

/** Consul's anti-entropy scale: the period grows once a datacenter passes 128 members. */
export function scaledInterval(baseMs: number, members: number): number {
  if (members <= 128) return baseMs;
  return Math.round(baseMs * (Math.ceil(Math.log2(members) - Math.log2(128)) + 1));
}

const strip = <T extends { CreateIndex: number; ModifyIndex: number }>({ CreateIndex: _c, ModifyIndex: _m, ...rest }: T) => rest;

/**
 * Keeps the servers' catalog in line with a client agent's node (anti-entropy): the agent's
 * local store holds the truth (its node, services and checks, as registered through its API or
 * config files and as its checks report); the servers hold a copy. A sync reads the copy, and
 * writes what differs or is missing and drops what the agent does not have (serfHealth aside:
 * the servers own it). It runs at start, every interval (scaled with the members), on every
 * change to the local store (at once), and when the agent attaches to a server. One sync runs
 * at a time; a request during one makes one more follow it.
 */
export class AntiEntropy {
  private readonly sent: Sent = new Map();
  private timer: NodeJS.Timeout | undefined;
  private cancelWatch: () => void = () => undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private members = 1;
  /** Whether the last sync failed (logged once per failure streak). */
  private failing = false;

  constructor(
    private readonly node: string,
    private readonly store: StateStore,
    private readonly pool: ServerPool,
    private readonly baseIntervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.watchLocal();
    this.schedule();
    this.trigger();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.cancelWatch();
  }

  /** The datacenter's size, as the servers report it: the period scales with it. */
  setMembers(n: number): void {
    this.members = Math.max(1, n);
  }

  /** Syncs soon: now if idle, else once more after the sync under way. Resolves when that sync is done. */
  trigger(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.syncOnce();
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.trigger();
      this.schedule();
    }, scaledInterval(this.baseIntervalMs, this.members));
    this.timer.unref();
  }

  /** Every commit to the local store that touches the node, its services or checks starts a sync. */
  private watchLocal(): void {
    if (this.stopped) return;
    const ws = new WatchSet();
    for (const k of ['nodes', 'services', 'checks']) ws.add(k, k);
    this.cancelWatch = this.store.watches.wait(ws, () => {
      if (this.store.watches.closed) return;
      void this.trigger();
      this.watchLocal();
    });
  }

  private local(): LocalNode | null {
    const node = this.store.catalog.nodes.get(this.node);
    if (!node) return null;
    const services = this.store.catalog.nodeServices(this.node).filter((s) => s.ID !== 'consul');
    const checks = this.store.catalog.nodeChecks(this.node).filter((c) => c.CheckID !== SERF_CHECK_ID);
    return { node, services, checks };
  }

  private async syncOnce(): Promise<void> {
    const local = this.local();
    if (!local || !this.pool.current()) return;
    try {
      const remote = await this.remote();
      const writes = catalogDiff(local, remote, this.sent);
      for (const w of writes) await this.write(w, local);
      if (writes.length > 0) this.log.debug('synced the node into the catalog', { writes: writes.length });
      if (this.failing) this.log.info('anti-entropy sync works again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.log.warn(`anti-entropy sync failed; the next change or period retries: ${(err as Error).message}`);
      this.failing = true;
    }
  }

  private async remote(): Promise<RemoteNode> {
    const node = encodeURIComponent(this.node);
    const catalog = ok(await askServers(this.pool, 'GET', `/v1/catalog/node/${node}`), 'read the node');
    const health = ok(await askServers(this.pool, 'GET', `/v1/health/node/${node}`), "read the node's checks");
    const c = catalog as { Node?: RemoteNode['node']; Services?: Record<string, Record<string, unknown>> } | null;
    return { node: c?.Node ?? null, services: Object.values(c?.Services ?? {}), checks: (health as Array<Record<string, unknown>>) ?? [] };
  }

  private async write(w: SyncWrite, local: LocalNode): Promise<void> {
    const n = local.node;
    const nodePart = { Node: n.Node, ID: n.ID, Address: n.Address, TaggedAddresses: n.TaggedAddresses, NodeMeta: n.Meta };
    const check = (c: HealthCheck) => strip({ ...c });
    let body: Record<string, unknown>;
    let sent: unknown;
    switch (w.op) {
      case 'node':
        body = nodePart;
        sent = n;
        break;
      case 'service': {
        const s = local.services.find((x) => x.ID === w.id) as Service;
        const checks = local.checks.filter((c) => c.ServiceID === w.id);
        const { Node: _n, ...service } = strip({ ...s });
        body = { ...nodePart, SkipNodeUpdate: true, Service: service, Checks: checks.map(check) };
        for (const c of checks) this.sent.set(`check:${c.CheckID}`, canonical(c));
        sent = s;
        break;
      }
      case 'check': {
        const c = local.checks.find((x) => x.CheckID === w.id) as HealthCheck;
        body = { ...nodePart, SkipNodeUpdate: true, Check: check(c) };
        sent = c;
        break;
      }
      case 'drop-service':
        body = { Node: n.Node, ServiceID: w.id };
        break;
      case 'drop-check':
        body = { Node: n.Node, CheckID: w.id };
        break;
    }
    const path = w.op.startsWith('drop-') ? '/v1/catalog/deregister' : '/v1/catalog/register';
    ok(await askServers(this.pool, 'PUT', path, body), `${w.op} ${'id' in w ? w.id : n.Node}`);
    if (sent === undefined) this.sent.delete(sentKey(w));
    else this.sent.set(sentKey(w), canonical(sent));
  }
}
