import type { Announcement } from './member.js';

/** A client member's state on the servers, with serf's names. */
export type LeasedStatus = 'alive' | 'failed' | 'left';

/** One member that attached itself by heartbeat, as every server of the datacenter sees it. */
export interface LeasedMember {
  /** What it last announced (node, address, tags, meta). */
  announcement: Announcement;
  status: LeasedStatus;
  /** When the status began (ms since the epoch): the clock for reconnect_timeout and forgetting a left member. */
  since: number;
  /** Whether its liveness lease runs now (its heartbeats arrive). */
  live: boolean;
}

/**
 * Client members' liveness on the servers, with lease semantics: each member holds a lease of
 * member_timeout that its heartbeats (on any server) keep alive; a lease that runs out is the
 * failure signal, and the leader's MemberHealth duty turns it into a `failed` record and a
 * critical serfHealth. Records (alive, failed, left) are shared by every server of the datacenter
 * (with etcd, keys in the store; embedded, this one process).
 */
export interface MemberLeases {
  /**
   * Records a heartbeat: `alive` keeps the member's lease alive, or gives it a new one when it
   * has none (first heartbeat, lease run out, failed or left before); `left` ends the lease and
   * records the member as left. Rejects when the store cannot be reached.
   */
  heartbeat(a: Announcement): Promise<void>;
  /** Every member with a record, sorted by name; a copy. */
  list(): LeasedMember[];
  /** How many members have a record (cheap; may lag a change by up to a second). */
  size(): number;
  /** Calls `fn` (never synchronously within heartbeat()) after any change: a record written, a lease run out. */
  onChange(fn: () => void): void;
}

/**
 * The record changes only the leader (and force-leave) makes. Each write is conditional: it is
 * made only while the member's lease is not running (a heartbeat that raced it wins), and
 * resolves false when it was not made.
 */
export interface LeaseRecords {
  /** Sets a member's record to `failed` or `left` from now. */
  setStatus(name: string, status: 'failed' | 'left'): Promise<boolean>;
  /** Removes a member's record (reaped, or forgotten after it left). */
  forget(name: string): Promise<boolean>;
  /** Stops timers and streams; safe to call twice. */
  close(): void;
}

/** Both roles, as a store's implementation provides them. */
export type MemberLeaseStore = MemberLeases & LeaseRecords;

/** Whether two announcements say the same (so a heartbeat need not rewrite the record). */
export function sameAnnouncement(a: Announcement, b: Announcement): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
