import type { Logger } from 'winston';
import { foldedPasses } from '../internal/folded-passes.js';
import type { Backend } from '../backend/backend.js';
import type { Txn } from '../commands/txn.js';
import type { LeaderDuty } from '../leader/leadership.js';
import type { StateStore } from '../state/state-store.js';
import { SERF_CHECK_ID } from '../structs/check.js';
import { unindexed } from '../structs/indexed.js';
import { ALIVE_OUTPUT, FAILED_OUTPUT, memberGoneTx, memberNodeTx } from './member-catalog.js';
import type { LeasedMember, MemberLeaseStore } from './member-leases.js';
import { leasedMember } from './leased-member.js';

export interface MemberHealthOptions {
  /** member_timeout (ms): how long a lease lasts without a heartbeat; also a new leader's grace. */
  timeoutMs: number;
  /** reconnect_timeout (ms): a member failed for longer is reaped with its node. */
  reconnectTimeoutMs: number;
  /** How long a member that left stays listed (ms). */
  leftTtlMs: number;
  /** How often the records are looked over even when nothing changed (ms; reaping is by time). */
  sweepMs?: number;
  now?: () => number;
}

/** How long after a change the records are looked over (ms), so a burst of changes makes one pass. */
const CHANGE_DELAY_MS = 50;

/**
 * Members' catalog writes per transaction when many change at once: each is a node and a check
 * (and, with etcd, the compares of what it read), so 20 stay below etcd's default of 128
 * operations per transaction.
 */
const BATCH = 20;

/**
 * The leader's duty for client members (member-leases.ts): it turns their leases into the
 * catalog. A live member's node exists with serfHealth passing (created from its announcement
 * when absent; an existing node is left as its agent synced it, only the check is set); a member
 * whose lease ran out is recorded `failed` and its serfHealth turns critical; failed for longer
 * than reconnect_timeout, it is reaped (its node deregistered, its record removed); a member that
 * left has no node, and its record goes after leftTtlMs. Writes happen only on change and are
 * leader writes. A new leader gives members whose lease is not running one member_timeout to
 * heartbeat again before it fails them, so a leader change does not fail members whose clients
 * were moving to another server.
 */
export class MemberHealth implements LeaderDuty {
  readonly name = 'client member failure detection';
  private running = false;
  private startedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private pending: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(
    private readonly leases: MemberLeaseStore,
    private readonly backend: Backend,
    private readonly store: StateStore,
    private readonly log: Logger,
    private readonly opts: MemberHealthOptions,
  ) {
    this.now = opts.now ?? Date.now;
    leases.onChange(() => this.soon());
  }

  start(): void {
    this.running = true;
    this.startedAt = this.now();
    this.timer = setInterval(() => void this.reconcile(), this.opts.sweepMs ?? Math.max(100, Math.min(1000, this.opts.timeoutMs / 3)));
    this.timer.unref();
    void this.reconcile();
  }

  stop(): void {
    this.running = false;
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A pass shortly after a change: a burst of changes (many members joining) makes one pass. */
  private soon(): void {
    if (!this.running || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      void this.reconcile();
    }, CHANGE_DELAY_MS);
    this.pending.unref();
  }

  /** One pass over every record; concurrent calls fold into one more pass. */
  readonly reconcile = foldedPasses(() => this.pass());

  private async pass(): Promise<void> {
    if (!this.running) return;
    try {
      const writes: Array<(tx: Txn) => void> = [];
      for (const m of this.leases.list()) {
        if (!this.running) return;
        const w = await this.judge(m);
        if (w) writes.push(w);
      }
      for (let i = 0; i < writes.length && this.running; i += BATCH) {
        const batch = writes.slice(i, i + BATCH);
        await this.backend.submit(
          (tx) => {
            for (const w of batch) w(tx);
            return true;
          },
          { asLeader: true },
        );
      }
    } catch (err) {
      if (this.running) this.log.warn('could not record client members in the catalog; the next pass retries', { error: (err as Error).message });
    }
  }

  /** Moves one member's record on when its time came; returns the catalog write it needs, if any. */
  private async judge(m: LeasedMember): Promise<((tx: Txn) => void) | null> {
    const name = m.announcement.Name;
    const now = this.now();
    let status = m.status;
    if (status === 'alive' && !m.live) {
      if (now - this.startedAt < this.opts.timeoutMs) return null; // a new leader's grace
      if (!(await this.leases.setStatus(name, 'failed'))) return null; // a heartbeat won the race
      this.log.warn('member failed: no heartbeat within member_timeout', { member: name });
      status = 'failed';
    } else if (status === 'failed' && now - m.since >= this.opts.reconnectTimeoutMs) {
      if (!(await this.leases.forget(name))) return null;
      this.log.info(`member reaped: failed for longer than reconnect_timeout (${Math.round(this.opts.reconnectTimeoutMs / 1000)}s); its node leaves the catalog`, { member: name });
      return (tx) => void memberGoneTx(tx, name);
    } else if (status === 'left' && now - m.since >= this.opts.leftTtlMs) {
      if (await this.leases.forget(name)) this.log.info('member forgotten: it left the cluster', { member: name });
    }
    return this.catalogWrite({ ...m, status });
  }

  /** The write that makes the catalog show `m` (null when it already does). */
  private catalogWrite(m: LeasedMember): ((tx: Txn) => void) | null {
    const name = m.announcement.Name;
    const node = this.store.catalog.nodes.get(name);
    if (m.status === 'left') return node ? (tx) => void memberGoneTx(tx, name) : null;
    const passing = m.status === 'alive';
    if (!node) return (tx) => void memberNodeTx(tx, { ...leasedMember(m), status: passing ? 'alive' : 'failed' });
    const check = this.store.catalog.getCheck(name, SERF_CHECK_ID);
    if (check && (check.Status === 'passing') === passing) return null;
    return (tx) => {
      const c = tx.getCheck(name, SERF_CHECK_ID);
      if (c) tx.putCheck({ ...unindexed(c), Status: passing ? 'passing' : 'critical', Output: passing ? ALIVE_OUTPUT : FAILED_OUTPUT });
      else memberNodeTx(tx, { ...leasedMember(m), status: passing ? 'alive' : 'failed' }, true);
    };
  }
}
