import type { Logger } from 'winston';
import type { StateStore } from '../state/state-store.js';
import { parseDuration } from '../internal/duration.js';

/** Consul's floor for DeregisterCriticalServiceAfter, and how often it looks. */
export const REAP_MIN_MS = 60_000;
export const REAP_INTERVAL_MS = 30_000;

/**
 * Deregisters a local service once one of its checks with DeregisterCriticalServiceAfter has
 * been critical for longer than that (at least one minute, as Consul).
 */
export class Reaper {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: StateStore,
    private readonly node: string,
    private readonly criticalSince: ReadonlyMap<string, number>,
    private readonly deregister: (serviceID: string) => Promise<void>,
    private readonly log: Logger,
    private readonly opts: { intervalMs: number; minMs: number } = { intervalMs: REAP_INTERVAL_MS, minMs: REAP_MIN_MS },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.reap(), this.opts.intervalMs);
    this.timer.unref();
  }

  async reap(now = Date.now()): Promise<void> {
    const doomed = new Set<string>();
    for (const c of this.store.catalog.nodeChecks(this.node)) {
      const after = c.Definition.DeregisterCriticalServiceAfter;
      const since = this.criticalSince.get(c.CheckID);
      if (!c.ServiceID || !after || since === undefined) continue;
      if (now - since > Math.max(parseDuration(after), this.opts.minMs)) doomed.add(c.ServiceID);
    }
    for (const id of doomed) {
      this.log.info('deregistering service whose check stayed critical past DeregisterCriticalServiceAfter', { service: id });
      await this.deregister(id).catch((err) => this.log.warn('reaping failed', { service: id, error: (err as Error).message }));
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
