import type { Logger } from 'winston';
import type { LeaderDuty, Leadership } from '../../leader/leadership.js';
import type { EtcdMirror } from './etcd-mirror.js';

/**
 * Leadership through etcd: every server keeps an election key on its lease; the one whose key
 * is oldest (lowest create revision) leads until its key goes (its lease expired or was
 * revoked). Every server reads the same order from its mirror, so they agree. Duties start when
 * this server's key becomes the oldest and stop when it is gone; their writes require the key
 * (SubmitOptions.asLeader), so a server that has not yet seen its loss cannot act on it.
 */
export class EtcdLeadership implements Leadership {
  private readonly duties: LeaderDuty[] = [];
  /** This server's election key (after the election space), or null while it has none. */
  private mine: string | null = null;
  private leading = false;
  private closed = false;

  constructor(
    private readonly mirror: EtcdMirror,
    private readonly log: Logger,
  ) {
    mirror.onChange(() => this.evaluate());
  }

  /** This server campaigns with `key` (or, with null, no longer does). */
  campaignWith(key: string | null): void {
    this.mine = key;
    this.evaluate();
  }

  /** The key of the oldest candidate, or null when there is none. */
  leaderKey(): string | null {
    let best: { key: string; rev: number } | null = null;
    for (const [key, v] of this.mirror.side.election) if (!best || v.createRevision < best.rev) best = { key, rev: v.createRevision };
    return best?.key ?? null;
  }

  isLeader(): boolean {
    return this.leading;
  }

  add(duty: LeaderDuty): void {
    this.duties.push(duty);
    if (this.leading) duty.start();
  }

  private evaluate(): void {
    const leading = !this.closed && this.mine !== null && this.leaderKey() === this.mine;
    if (leading === this.leading) return;
    this.leading = leading;
    this.log.info(leading ? 'this server now leads the datacenter' : 'this server no longer leads the datacenter');
    for (const d of this.duties) {
      try {
        if (leading) d.start();
        else d.stop();
      } catch (err) {
        this.log.error(`leader duty ${d.name} failed to ${leading ? 'start' : 'stop'}`, { error: (err as Error).message });
      }
    }
  }

  close(): void {
    this.closed = true;
    this.evaluate();
  }
}
