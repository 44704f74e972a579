import type { Announcement } from './member.js';
import { sameAnnouncement, type LeasedMember, type MemberLeaseStore } from './member-leases.js';

type Entry = LeasedMember & { timer?: NodeJS.Timeout };

/**
 * Member leases kept in this process, for the embedded store (one server): each live member has
 * a timer of member_timeout that its heartbeats restart; when it runs out the lease is over
 * (`live` false) and listeners hear of it, as etcd's lease expiry does for several servers.
 * Records are not persisted: after a restart, members attach again with their next heartbeat.
 */
export class LocalMemberLeases implements MemberLeaseStore {
  private readonly members = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(
    readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async heartbeat(a: Announcement): Promise<void> {
    if (this.closed) throw new Error('the agent is shutting down');
    const m = this.members.get(a.Name);
    const announcement: Announcement = { ...a, Status: 'alive' };
    if (a.Status === 'left') {
      if (m?.status === 'left') return;
      clearTimeout(m?.timer);
      this.members.set(a.Name, { announcement: m?.announcement ?? announcement, status: 'left', since: this.now(), live: false });
      this.changed();
      return;
    }
    if (m?.live && m.status === 'alive' && m.timer && sameAnnouncement(m.announcement, announcement)) {
      m.timer.refresh();
      return;
    }
    clearTimeout(m?.timer);
    const since = m?.status === 'alive' ? m.since : this.now();
    const entry: Entry = { announcement, status: 'alive', since, live: true };
    entry.timer = setTimeout(() => this.expire(a.Name, entry), this.timeoutMs);
    entry.timer.unref();
    this.members.set(a.Name, entry);
    this.changed();
  }

  list(): LeasedMember[] {
    return [...this.members.values()]
      .map(({ timer: _, ...m }) => ({ ...m, announcement: { ...m.announcement } }))
      .sort((x, y) => (x.announcement.Name < y.announcement.Name ? -1 : 1));
  }

  size(): number {
    return this.members.size;
  }

  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  async setStatus(name: string, status: 'failed' | 'left'): Promise<boolean> {
    const m = this.members.get(name);
    if (!m || m.live || m.status === status) return false;
    this.members.set(name, { announcement: m.announcement, status, since: this.now(), live: false });
    this.changed();
    return true;
  }

  async forget(name: string): Promise<boolean> {
    const m = this.members.get(name);
    if (!m || m.live) return false;
    this.members.delete(name);
    this.changed();
    return true;
  }

  close(): void {
    this.closed = true;
    for (const m of this.members.values()) clearTimeout(m.timer);
  }

  private expire(name: string, entry: Entry): void {
    if (this.members.get(name) !== entry) return;
    entry.live = false;
    entry.timer = undefined;
    this.changed();
  }

  private changed(): void {
    // Listeners run after the caller's own work, never inside it.
    if (this.listeners.size > 0) setImmediate(() => this.listeners.forEach((fn) => fn()));
  }
}
