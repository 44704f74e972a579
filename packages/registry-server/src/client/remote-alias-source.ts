import { setTimeout as sleep } from 'node:timers/promises';
import type { AliasSource, AliasTarget, AliasView } from '../agent/checks/check-alias.js';
import type { HealthCheck } from '../structs/check.js';
import { askServers, ok } from './server-request.js';
import type { ServerPool } from './server-pool.js';

/** How long one blocking read of the target node's checks waits for a change. */
const WAIT = '60s';
const WAIT_TIMEOUT_MS = 75_000;
/** Failed reads back off from 1 s, doubling, to at most a minute. */
const MAX_BACKOFF_MS = 60_000;

/**
 * Alias targets on other nodes, for a client agent: the target node's checks are read from the
 * servers with blocking queries (`/v1/health/node/:node`, index after index), and whether the
 * aliased service is registered from `/v1/catalog/node/:node` when none of its checks is there.
 */
export class RemoteAliasSource implements AliasSource {
  constructor(private readonly pool: () => ServerPool) {}

  follow(target: AliasTarget, onView: (view: AliasView | Error) => void): () => void {
    const stop = new AbortController();
    void this.run(target, onView, stop.signal);
    return () => stop.abort();
  }

  private async run(target: AliasTarget, onView: (view: AliasView | Error) => void, signal: AbortSignal): Promise<void> {
    const node = encodeURIComponent(target.node);
    let index = 0;
    let failures = 0;
    await pause(0, signal);
    while (!signal.aborted) {
      try {
        const answer = await askServers(this.pool(), 'GET', `/v1/health/node/${node}?index=${index}&wait=${WAIT}`, undefined, WAIT_TIMEOUT_MS, signal);
        const list = (ok(answer, `read the checks of node ${target.node}`) as HealthCheck[] | null) ?? [];
        // An index that went backwards (a restored or restarted store) starts over, as Consul's clients do.
        index = answer.index < index ? 0 : Math.max(1, answer.index);
        const found = list.some((c) => c.ServiceID === target.serviceID && target.serviceID !== '');
        const serviceExists = found || (target.serviceID !== '' && (await this.serviceExists(node, target.serviceID, signal)));
        failures = 0;
        if (!signal.aborted) onView({ checks: list, serviceExists });
      } catch (err) {
        if (signal.aborted) return;
        failures++;
        // The next server (or this one restarted) may be at a lower index: start over from a fresh read.
        index = 0;
        onView(err as Error);
        await pause(Math.min(1000 * 2 ** (failures - 1), MAX_BACKOFF_MS), signal);
      }
    }
  }

  private async serviceExists(node: string, serviceID: string, signal: AbortSignal): Promise<boolean> {
    const answer = await askServers(this.pool(), 'GET', `/v1/catalog/node/${node}`, undefined, undefined, signal);
    const services = (ok(answer, `read node ${decodeURIComponent(node)}`) as { Services?: Record<string, unknown> } | null)?.Services ?? {};
    return Object.prototype.hasOwnProperty.call(services, serviceID);
  }
}

/** Waits `ms`, or less when `signal` aborts. */
const pause = (ms: number, signal: AbortSignal): Promise<void> => sleep(ms, undefined, { signal }).catch(() => undefined);
