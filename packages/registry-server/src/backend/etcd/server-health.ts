import type { Logger } from 'winston';
import { foldedPasses } from '../../internal/folded-passes.js';
import type { LeaderDuty } from '../../leader/leadership.js';
import { ALIVE_OUTPUT, FAILED_OUTPUT } from '../../membership/member-catalog.js';
import { SERF_CHECK_ID } from '../../structs/check.js';
import type { Cluster } from '../cluster.js';
import type { EtcdBackend } from './etcd-backend.js';
import { unindexed } from '../../structs/indexed.js';

/** The service every server registers for itself (see Agent.registerSelf). */
const SERVER_SERVICE = 'consul';

/**
 * The leader's failure detector for servers: a server whose lease ran out (its key is gone from
 * etcd) gets its node's serfHealth turned critical, and passing again once it is back. The
 * detector is etcd's lease expiry, seen by every server alike.
 */
export class ServerHealth implements LeaderDuty {
  readonly name = 'server failure detection';
  private running = false;

  constructor(
    private readonly backend: EtcdBackend,
    private readonly cluster: Cluster,
    private readonly log: Logger,
  ) {
    backend.mirror.onChange(() => void this.reconcile());
  }

  start(): void {
    this.running = true;
    void this.reconcile();
  }

  stop(): void {
    this.running = false;
  }

  /** Concurrent calls fold into one more pass. */
  private readonly reconcile = foldedPasses(() => this.pass());

  private async pass(): Promise<void> {
    if (!this.running) return;
    try {
      const live = new Set(this.cluster.servers().map((s) => s.name));
      const store = this.backend.store;
      for (const [node, byId] of store.catalog.services) {
        if (!byId.has(SERVER_SERVICE)) continue;
        const check = store.catalog.getCheck(node, SERF_CHECK_ID);
        const alive = live.has(node);
        if (!check || (check.Status === 'passing') === alive) continue;
        this.log.info(alive ? 'server is back' : 'server failed: its etcd lease ran out', { node });
        await this.backend.submit(
          (tx) => {
            const c = tx.getCheck(node, SERF_CHECK_ID);
            if (c) tx.putCheck({ ...unindexed(c), Status: alive ? 'passing' : 'critical', Output: alive ? ALIVE_OUTPUT : FAILED_OUTPUT });
            return true;
          },
          { asLeader: true },
        );
      }
    } catch (err) {
      if (this.running) this.log.warn('could not record a server failure or recovery; the next change retries', { error: (err as Error).message });
    }
  }
}
