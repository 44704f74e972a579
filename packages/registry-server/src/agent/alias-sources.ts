import type { StateStore } from '../state/state-store.js';
import { WatchSet } from '../state/watch-set.js';
import type { HealthCheck } from '../structs/check.js';
import type { AliasSource, AliasTarget, AliasView } from './checks/check-alias.js';

/** The agent's own view of its node, for alias checks with no AliasNode. */
export interface LocalView {
  node: string;
  checks(): HealthCheck[];
  serviceExists(id: string): boolean;
}

/**
 * Alias targets read from this agent's store, followed with watches on the target's node: its
 * own node (no AliasNode) through the agent's local view, as Consul's local alias does, and any
 * other node from the catalog, which a server's store holds whole. A client agent's store holds
 * only its own node, so there another node is read from the servers (`remote`).
 */
export class StoreAliasSource implements AliasSource {
  constructor(
    private readonly store: StateStore,
    private readonly local: LocalView,
    private readonly remote?: AliasSource,
  ) {}

  follow(target: AliasTarget, onView: (view: AliasView | Error) => void): () => void {
    if (this.remote && target.node && target.node !== this.local.node) return this.remote.follow(target, onView);
    const node = target.node || this.local.node;
    let cancelWatch: (() => void) | undefined;
    let stopped = false;
    const read = (): AliasView =>
      target.node
        ? { checks: this.store.catalog.nodeChecks(node), serviceExists: !!target.serviceID && !!this.store.catalog.getService(node, target.serviceID) }
        : { checks: this.local.checks(), serviceExists: !!target.serviceID && this.local.serviceExists(target.serviceID) };
    const next = () => {
      if (stopped) return;
      const ws = new WatchSet();
      ws.add(`node:${node}`, 'checks');
      cancelWatch = this.store.watches.wait(ws, next);
      onView(read());
    };
    const first = setImmediate(next);
    return () => {
      stopped = true;
      clearImmediate(first);
      cancelWatch?.();
    };
  }
}
