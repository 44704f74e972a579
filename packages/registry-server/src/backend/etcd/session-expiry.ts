import type { Logger } from 'winston';
import { invalidateSessionTx } from '../../commands/session-invalidate.js';
import type { LeaderDuty } from '../../leader/leadership.js';
import type { EtcdBackend } from './etcd-backend.js';

/**
 * The leader's session TTLs with etcd: a TTL session's key lives on an etcd lease that
 * renewals (on any server) keep alive; when etcd lets the lease run out, the key goes, and the
 * leader invalidates the session (its locks released or deleted, the lock-delay set). On taking
 * over, the new leader also ends the TTL sessions whose key went while no server led.
 */
export class SessionExpiry implements LeaderDuty {
  readonly name = 'session TTL expiry';
  private running = false;
  private readonly ending = new Set<string>();

  constructor(
    private readonly backend: EtcdBackend,
    private readonly log: Logger,
  ) {
    backend.mirror.onChange(() => this.sweep());
  }

  start(): void {
    this.running = true;
    this.sweep();
  }

  stop(): void {
    this.running = false;
  }

  private sweep(): void {
    if (!this.running) return;
    const live = this.backend.mirror.side.sessionTtl;
    for (const s of this.backend.store.sessions.byId.values()) {
      if (!s.TTL || live.has(s.ID) || this.ending.has(s.ID)) continue;
      this.ending.add(s.ID);
      void this.expire(s.ID).finally(() => this.ending.delete(s.ID));
    }
  }

  private async expire(id: string): Promise<void> {
    try {
      const ended = await this.backend.submit(
        (tx) => {
          const s = tx.getSession(id);
          if (s) invalidateSessionTx(tx, s);
          return s !== undefined;
        },
        { asLeader: true },
      );
      if (ended) this.log.info('session TTL expired; session invalidated', { session: id });
    } catch (err) {
      if (this.running) this.log.warn('could not invalidate an expired session; the next change or leader retries', { session: id, error: (err as Error).message });
    }
  }
}
