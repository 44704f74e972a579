import type { ICompare, IRequestOp } from 'etcd3';
import type { Logger } from 'winston';
import { InternalError } from '../../errors.js';
import type { Announcement } from '../../membership/member.js';
import { MAX_LEASED_MEMBERS } from '../../membership/member-limits.js';
import { sameAnnouncement, type LeasedMember, type LeasedStatus, type MemberLeaseStore } from '../../membership/member-leases.js';
import type { EtcdBackend } from './etcd-backend.js';
import { etcdProblem } from './etcd-errors.js';
import { SPACES } from './etcd-keys.js';

/** A member's record, as stored at `a/r/<node>`. */
interface MemberRecord {
  announcement: Announcement;
  status: LeasedStatus;
  since: number;
}

const LIVE = 'l/';
const RECORD = 'r/';
const REQUEST_TIMEOUT_MS = 5000;
/** A member's etcd lease lasts this many member timeouts: the keeping server renews it once per member timeout. */
const LEASE_FACTOR = 2;
/** Keys of members that went quiet, deleted at once per sweep step. */
const SWEEP_BATCH = 32;

/** A member this server keeps alive: the lease, when it is next renewed, when this server last heard from the member. */
interface Kept {
  lease: string;
  renewAt: number;
  heardAt: number;
}
const deadline = () => ({ deadline: new Date(Date.now() + REQUEST_TIMEOUT_MS) });
const absent = (key: string): ICompare => ({ key: Buffer.from(key), target: 'Create', result: 'Equal', create_revision: 0 });
const unchanged = (key: string, revision: number): ICompare => ({ key: Buffer.from(key), target: 'Mod', result: 'Equal', mod_revision: revision });

/**
 * Client members' leases in etcd, shared by every server of the datacenter. A live member has
 * `a/l/<node>` on its own etcd lease of two member timeouts, valued with the name of the server
 * that keeps it: the one its heartbeats reach. That server renews the lease (one keepalive on its
 * shared stream: LeaseKeepAlive) at most once per member timeout, not on every heartbeat, and
 * watches the heartbeats itself: when they stop for a member timeout, it deletes the key, which
 * is the failure signal. A heartbeat reaching another server moves the key to that server (a
 * conditional write, once per move), so the first server's watch does not fail a member that only
 * moved. If the keeping server dies, the lease still runs for at least one member timeout, time
 * for the member to move; if the member died too, the lease running out fails it. A member
 * without a live key (new, failed, left) gets a new lease and the key again. Its record
 * `a/r/<node>` (announcement, status, since) has no lease: failed and left members stay visible
 * to every server and to a new leader. Every server reads both from its mirror's side map.
 */
export class EtcdMemberLeases implements MemberLeaseStore {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly parsed = new Map<string, { revision: number; record: MemberRecord }>();
  private readonly ttlSeconds: number;
  private closed = false;
  private counted = { at: 0, n: 0 };
  /** Leases this server granted whose keys its mirror has not shown yet (a lagging mirror must not make it grant again). */
  private readonly granted = new Map<string, { lease: string; announcement: Announcement }>();
  /** The members this server keeps alive, by name. */
  private readonly kept = new Map<string, Kept>();
  private readonly sweeper: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly backend: EtcdBackend,
    private readonly timeoutMs: number,
    /** This server's node name: the value of the keys of the members it keeps. */
    private readonly self: string,
    private readonly log: Logger,
  ) {
    this.ttlSeconds = Math.max(1, Math.ceil((LEASE_FACTOR * timeoutMs) / 1000));
    this.sweeper = setInterval(() => void this.sweep(), Math.max(100, Math.min(1000, timeoutMs / 6)));
    this.sweeper.unref();
  }

  heartbeat(a: Announcement): Promise<void> {
    if (this.closed) return Promise.reject(new InternalError('the agent is shutting down'));
    const pending = this.inFlight.get(a.Name);
    if (pending) return pending;
    const p = (a.Status === 'left' ? this.leave(a) : this.renew(a)).finally(() => this.inFlight.delete(a.Name));
    this.inFlight.set(a.Name, p);
    return p;
  }

  list(): LeasedMember[] {
    const side = this.backend.mirror.side.member;
    const out: LeasedMember[] = [];
    for (const rest of side.keys()) {
      if (!rest.startsWith(RECORD)) continue;
      const enc = rest.slice(RECORD.length);
      const r = this.recordOf(enc);
      if (r) out.push({ announcement: { ...r.announcement }, status: r.status, since: r.since, live: side.has(LIVE + enc) });
    }
    for (const k of this.parsed.keys()) if (!side.has(RECORD + k)) this.parsed.delete(k);
    return out.sort((x, y) => (x.announcement.Name < y.announcement.Name ? -1 : 1));
  }

  size(): number {
    const now = Date.now();
    if (now - this.counted.at >= 1000) {
      let n = 0;
      for (const k of this.backend.mirror.side.member.keys()) if (k.startsWith(RECORD)) n++;
      this.counted = { at: now, n };
    }
    return this.counted.n;
  }

  onChange(fn: () => void): void {
    // The mirror calls listeners after applying a change, outside any heartbeat's own work.
    this.backend.mirror.onChange(fn);
  }

  async setStatus(name: string, status: 'failed' | 'left'): Promise<boolean> {
    const enc = encodeURIComponent(name);
    const cur = this.backend.mirror.side.member.get(RECORD + enc);
    const r = this.recordOf(enc);
    if (!cur || !r || r.status === status) return false;
    const compare = [absent(this.key(LIVE, enc)), unchanged(this.key(RECORD, enc), cur.modRevision)];
    if (status === 'failed') {
      // Only the leader fails members.
      if (!this.backend.leaderKey) return false;
      compare.push({ key: Buffer.from(this.backend.leaderKey), target: 'Create', result: 'Greater', create_revision: 0 });
    }
    const value: MemberRecord = { announcement: r.announcement, status, since: Date.now() };
    return this.txn(compare, [{ request_put: { key: Buffer.from(this.key(RECORD, enc)), value: Buffer.from(JSON.stringify(value)) } }]);
  }

  async forget(name: string): Promise<boolean> {
    const enc = encodeURIComponent(name);
    const cur = this.backend.mirror.side.member.get(RECORD + enc);
    if (!cur) return false;
    return this.txn([absent(this.key(LIVE, enc)), unchanged(this.key(RECORD, enc), cur.modRevision)], [{ request_delete_range: { key: Buffer.from(this.key(RECORD, enc)) } }]);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    this.kept.clear();
  }

  /**
   * An alive heartbeat. A member this server keeps, with a live lease: nothing, or a keepalive
   * once its lease has only a member timeout left. One kept by another server: its key moves
   * here, and a keepalive. Else (new, run out, failed, left, changed): a new lease and keys.
   */
  private async renew(a: Announcement): Promise<void> {
    const now = Date.now();
    const enc = encodeURIComponent(a.Name);
    const announcement: Announcement = { ...a, Status: 'alive' };
    const side = this.backend.mirror.side.member;
    const live = side.get(LIVE + enc);
    const r = this.recordOf(enc);
    const mine = this.granted.get(a.Name);
    if (live) this.granted.delete(a.Name);
    const current = live && r?.status === 'alive' && sameAnnouncement(r.announcement, announcement) ? live.lease : !live && mine && sameAnnouncement(mine.announcement, announcement) ? mine.lease : undefined;
    if (current) {
      const ownKey = !live || live.value.toString() === this.self;
      const k = this.kept.get(a.Name);
      if (ownKey && k?.lease === current && now < k.renewAt) {
        k.heardAt = now;
        return;
      }
      try {
        // Another server kept it: the key moves here (on the same lease) before this server watches it.
        const moved = ownKey || (await this.txn([unchanged(this.key(LIVE, enc), live.modRevision)], [{ request_put: { key: Buffer.from(this.key(LIVE, enc)), value: Buffer.from(this.self), lease: current } }]));
        const ttl = moved ? await this.backend.leases.keepAlive(current) : 0;
        if (ttl > 0) {
          this.kept.set(a.Name, { lease: current, renewAt: this.renewAt(now, ttl), heardAt: now });
          return;
        }
      } catch (err) {
        // The keepalive stream broke: a new lease (below) keeps the member alive if etcd answers.
        this.log.debug('a lease keepalive failed; granting the member a new lease', { member: a.Name, error: (err as Error).message });
      }
    }
    let lease: string;
    try {
      lease = (await this.backend.client.leaseClient.leaseGrant({ TTL: this.ttlSeconds }, deadline())).ID;
    } catch (err) {
      throw new InternalError(`cannot record the heartbeat in etcd (${etcdProblem(err)})`);
    }
    const ops: IRequestOp[] = [{ request_put: { key: Buffer.from(this.key(LIVE, enc)), value: Buffer.from(this.self), lease } }];
    if (r?.status !== 'alive' || !sameAnnouncement(r.announcement, announcement)) {
      const value: MemberRecord = { announcement, status: 'alive', since: r?.status === 'alive' ? r.since : Date.now() };
      ops.push({ request_put: { key: Buffer.from(this.key(RECORD, enc)), value: Buffer.from(JSON.stringify(value)) } });
    }
    if (r?.status !== 'alive') this.log.info(r ? `member is alive again (was ${r.status})` : 'member joined', { member: a.Name });
    await this.txn([], ops);
    this.kept.set(a.Name, { lease, renewAt: this.renewAt(now, this.ttlSeconds), heardAt: now });
    if (!this.backend.mirror.side.member.has(LIVE + enc)) {
      if (this.granted.size >= MAX_LEASED_MEMBERS) this.granted.clear(); // bounded: at worst a lagging mirror costs new leases
      this.granted.set(a.Name, { lease, announcement });
    }
    if (live) this.revoke(live.lease);
  }

  /** A `left` heartbeat: the lease ends and the record says left. */
  private async leave(a: Announcement): Promise<void> {
    const enc = encodeURIComponent(a.Name);
    this.granted.delete(a.Name);
    this.kept.delete(a.Name);
    const live = this.backend.mirror.side.member.get(LIVE + enc);
    const r = this.recordOf(enc);
    if (r?.status === 'left' && !live) return;
    const value: MemberRecord = { announcement: r?.announcement ?? { ...a, Status: 'alive' }, status: 'left', since: Date.now() };
    await this.txn(
      [],
      [
        { request_delete_range: { key: Buffer.from(this.key(LIVE, enc)) } },
        { request_put: { key: Buffer.from(this.key(RECORD, enc)), value: Buffer.from(JSON.stringify(value)) } },
      ],
    );
    this.log.info('member left', { member: a.Name });
    if (live) this.revoke(live.lease);
  }

  /**
   * When a lease renewed now for `ttlSeconds` must be renewed again: while it has a member timeout
   * left. A lease granted with one member timeout (by an older server) is renewed on every heartbeat.
   */
  private renewAt(now: number, ttlSeconds: number): number {
    return now + ttlSeconds * 1000 - this.timeoutMs;
  }

  /**
   * The failure signal for the members this server keeps: one not heard from for a member
   * timeout loses its key (unless it moved to another server meanwhile), and its lease ends.
   */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.closed) return;
    this.sweeping = true;
    try {
      const now = Date.now();
      const due: Array<[string, Kept]> = [];
      for (const [name, k] of this.kept) if (now - k.heardAt > this.timeoutMs) due.push([name, k]);
      // Many members may stop at once (a rack goes down): their keys go SWEEP_BATCH at a time.
      for (let i = 0; i < due.length && !this.closed; i += SWEEP_BATCH) await Promise.all(due.slice(i, i + SWEEP_BATCH).map(([name, k]) => this.expire(name, k)));
    } finally {
      this.sweeping = false;
    }
  }

  /** Deletes the key of a kept member that went quiet, unless another server keeps it now, and ends its lease. */
  private async expire(name: string, k: Kept): Promise<void> {
    this.kept.delete(name);
    const enc = encodeURIComponent(name);
    const live = this.backend.mirror.side.member.get(LIVE + enc);
    if (!live || live.lease !== k.lease || live.value.toString() !== this.self) return;
    try {
      if (await this.txn([unchanged(this.key(LIVE, enc), live.modRevision)], [{ request_delete_range: { key: Buffer.from(this.key(LIVE, enc)) } }])) {
        this.log.debug('no heartbeat from the member for a member timeout; its lease ends', { member: name });
        this.revoke(k.lease);
      }
    } catch (err) {
      // Its lease runs out by itself at worst one member timeout later.
      this.log.warn('could not end the lease of a member that stopped heartbeating; it runs out by itself', { member: name, error: (err as Error).message });
    }
  }

  /** Runs one transaction and waits until this server's mirror has it; false when a compare failed. */
  private async txn(compare: ICompare[], success: IRequestOp[]): Promise<boolean> {
    let revision: number;
    try {
      const res = await this.backend.client.kv.txn({ compare, success }, deadline());
      if (!res.succeeded) return false;
      revision = Number(res.header.revision);
    } catch (err) {
      throw new InternalError(`cannot record a client member in etcd (${etcdProblem(err)})`);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.backend.mirror.caughtUp(revision), new Promise<void>((r) => (timer = setTimeout(r, REQUEST_TIMEOUT_MS)))]);
    clearTimeout(timer);
    return true;
  }

  private revoke(lease: string): void {
    void this.backend.client.leaseClient.leaseRevoke({ ID: lease }).catch(() => undefined);
  }

  private key(kind: string, enc: string): string {
    return `${this.backend.keys.space(SPACES.member)}${kind}${enc}`;
  }

  private recordOf(enc: string): MemberRecord | undefined {
    const v = this.backend.mirror.side.member.get(RECORD + enc);
    if (!v) return undefined;
    const hit = this.parsed.get(enc);
    if (hit && hit.revision === v.modRevision) return hit.record;
    try {
      const record = JSON.parse(v.value.toString()) as MemberRecord;
      this.parsed.set(enc, { revision: v.modRevision, record });
      return record;
    } catch {
      this.log.warn('ignoring a client member record in etcd that is not valid JSON', { key: RECORD + enc });
      return undefined;
    }
  }
}
