import fs from 'node:fs';
import type { Logger } from 'winston';
import type { Backend } from '../backend/backend.js';
import { BadRequestError, JoinError, PraetorError, UnknownMemberError } from '../errors.js';
import { announcedUrl, joinUrl, splitHostPort, type Announcement, type Member } from './member.js';
import { checkAdmission, checkLeaveNotice } from './member-admission.js';
import { memberGoneTx, memberNodeTx } from './member-catalog.js';
import { LEFT_MEMBER_TTL_MS, maxMembers, RECONNECT_TIMEOUT_DEFAULT_MS } from './member-limits.js';
import { MessageGuard } from './message-guard.js';
import { loadMembers, saveMembers } from './members-file.js';
import { announce } from './peer-client.js';

/** This agent, as its members see it. */
export type SelfInfo = Pick<Member, 'name' | 'id' | 'datacenter' | 'nodeAddr' | 'meta' | 'tags'>;

export interface MemberListOptions {
  /** How often each member is probed (ms). */
  probeIntervalMs?: number;
  /** How long a probe or a leave notice may take (ms). */
  probeTimeoutMs?: number;
  /** Probes in a row that must fail before a live member is marked failed. */
  failAfter?: number;
  /** How long a join may take (ms). */
  joinTimeoutMs?: number;
  /** Where the list is kept across restarts; memory only when absent. */
  file?: string;
  /** Called (once, asynchronously) after a graceful leave: the agent shuts down. */
  onLeave?: () => void;
  /** The `encrypt` key: membership messages are signed and verified with it. Absent: not authenticated. */
  key?: Buffer;
  /** reconnect_timeout (ms): a member failed for longer is removed, its node with it. */
  reconnectTimeoutMs?: number;
  /** The most other members kept (member-limits.ts). */
  maxMembers?: number;
}

export const MEMBER_DEFAULTS = { probeIntervalMs: 2000, probeTimeoutMs: 2000, failAfter: 2, joinTimeoutMs: 5000, reconnectTimeoutMs: RECONNECT_TIMEOUT_DEFAULT_MS } as const;

type Entry = Member & { misses: number };

const sameMap = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * The agent's cluster members: itself, the agents it joined and those that joined it (not
 * their members in turn: there is no gossip). Each other member is probed every
 * probeIntervalMs with this agent's announcement, which also keeps this agent known to it;
 * failAfter failed probes in a row mark it failed, an answer marks it alive again. Each
 * member's node is kept in this agent's catalog with a serfHealth check (member-catalog.ts).
 * stop() stops probing and is safe to call twice.
 */
export class MemberList {
  private readonly members = new Map<string, Entry>();
  private readonly self: Member;
  private listen: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, AbortController>();
  private readonly opts: Required<Omit<MemberListOptions, 'file' | 'onLeave' | 'key'>> & MemberListOptions;
  /** Checks the signatures of incoming membership messages and signs the answers. */
  readonly guard: MessageGuard;
  private saving: Promise<void> = Promise.resolve();
  private leaving = false;

  constructor(
    self: SelfInfo,
    private readonly backend: Backend,
    private readonly log: Logger,
    options: MemberListOptions = {},
  ) {
    this.opts = { ...MEMBER_DEFAULTS, maxMembers: maxMembers(), ...options };
    this.guard = new MessageGuard(options.key, log);
    this.self = { ...self, url: `http://${self.nodeAddr}:0`, status: 'alive' };
  }

  /**
   * Starts membership once the HTTP API listens on `listen` (host:port each): loads the saved
   * members, puts their nodes in the catalog and probes them at once and then periodically.
   */
  async start(listen: string[]): Promise<void> {
    this.listen = listen;
    const first = splitHostPort(listen[0] ?? `${this.self.nodeAddr}:0`);
    const host = first.host === '0.0.0.0' || first.host === '::' ? this.self.nodeAddr : first.host;
    this.self.url = `http://${host.includes(':') ? `[${host}]` : host}:${first.port ?? 0}`;
    if (this.opts.file) {
      try {
        const saved = loadMembers(this.opts.file).filter((m) => m.name !== this.self.name);
        if (saved.length > this.opts.maxMembers) {
          this.log.warn(`the saved member list has ${saved.length} members, more than the bound of ${this.opts.maxMembers}; the rest are dropped`);
        }
        for (const m of saved.slice(0, this.opts.maxMembers)) {
          this.members.set(m.name, { ...m, since: m.since ?? Date.now(), misses: 0 });
          await this.toCatalog(m);
        }
      } catch (err) {
        this.log.warn(`cannot read the saved member list; starting without it: ${(err as Error).message}`);
      }
    }
    this.timer = setInterval(() => this.probeAll(), this.opts.probeIntervalMs);
    this.timer.unref();
    this.probeAll();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const c of this.inFlight.values()) c.abort();
    this.inFlight.clear();
  }

  /** Every member, this agent first, then by name. */
  list(): Member[] {
    const others = [...this.members.values()].map(({ misses: _, ...m }) => m).sort((a, b) => (a.name < b.name ? -1 : 1));
    return [{ ...this.self }, ...others];
  }

  selfMember(): Member {
    return { ...this.self };
  }

  /** This agent's announcement. */
  announcement(status: Announcement['Status'] = 'alive'): Announcement {
    const s = this.self;
    return { Name: s.name, ID: s.id, Datacenter: s.datacenter, Addr: s.nodeAddr, Listen: [...this.listen], Tags: { ...s.tags }, Meta: { ...s.meta }, Status: status };
  }

  /** PUT /v1/agent/join/:address: announces this agent to the one at `address` and adds it. */
  async join(address: string): Promise<void> {
    let url: string;
    try {
      url = joinUrl(address);
    } catch (err) {
      throw new JoinError(address, (err as Error).message);
    }
    let answer: Announcement;
    try {
      answer = await announce(url, this.announcement(), this.opts.joinTimeoutMs, undefined, this.opts.key);
    } catch (err) {
      throw new JoinError(address, (err as Error).message);
    }
    if (answer.Name === this.self.name) {
      if (answer.ID === this.self.id) return; // joined itself: nothing to add, as Consul
      throw new JoinError(address, `the agent there is also named ${JSON.stringify(answer.Name)}; every agent needs its own -node name`);
    }
    if (answer.Status === 'left') throw new JoinError(address, `${answer.Name} is leaving the cluster`);
    if (answer.Datacenter !== this.self.datacenter) {
      throw new JoinError(address, `${answer.Name} is in datacenter ${JSON.stringify(answer.Datacenter)}, this agent in ${JSON.stringify(this.self.datacenter)}`);
    }
    if (this.self.tags.role === 'consul' && answer.Tags.role === 'node') {
      // A client agent attaches itself to the servers by heartbeat (member-leases.ts): not probed from here.
      this.log.info('joined a client agent: it attaches itself by heartbeat, so it is not probed', { member: answer.Name, url });
      return;
    }
    try {
      this.admit(answer, url);
    } catch (err) {
      throw new JoinError(address, (err as Error).message);
    }
    await this.upsert(answer, url);
  }

  /** PUT /v1/internal/praetor/members: another agent announced itself from `remote`. */
  async heard(a: Announcement, remote: string): Promise<Announcement> {
    if (a.Name === this.self.name) {
      if (a.ID === this.self.id) return this.announcement();
      throw new BadRequestError(`node name ${JSON.stringify(a.Name)} is this agent's own; every agent needs its own -node name`);
    }
    if (a.Datacenter !== this.self.datacenter) {
      throw new BadRequestError(`${a.Name} is in datacenter ${JSON.stringify(a.Datacenter)}, this agent in ${JSON.stringify(this.self.datacenter)}: agents of different datacenters cannot join`);
    }
    let url: string;
    try {
      url = announcedUrl(a.Listen, remote);
    } catch (err) {
      throw new BadRequestError((err as Error).message);
    }
    if (a.Status === 'left') {
      const m = this.members.get(a.Name);
      if (m && m.status !== 'left') {
        checkLeaveNotice(a, url, m);
        await this.setStatus(m, 'left', 'it left the cluster');
      }
    } else {
      this.admit(a, url);
      await this.upsert(a, url);
    }
    return this.announcement(this.leaving ? 'left' : 'alive');
  }

  /**
   * PUT /v1/agent/force-leave/:node: a failed member becomes `left` (its node leaves the
   * catalog); with prune it is forgotten. A live member (or this agent) is left alone, as Consul
   * 1.8 answers success there too and the live member refutes; an unknown one is an error.
   */
  async forceLeave(name: string, prune: boolean): Promise<void> {
    if (name === this.self.name) return;
    const m = this.members.get(name);
    if (!m) throw new UnknownMemberError(name);
    if (m.status === 'alive') return;
    if (prune) {
      this.members.delete(name);
      this.log.info('member pruned', { member: name });
      await this.write((tx) => memberGoneTx(tx, name));
      this.save();
      return;
    }
    if (m.status !== 'left') await this.setStatus(m, 'left', 'forced to leave');
  }

  /**
   * PUT /v1/agent/leave: tells every member this agent is leaving (they mark it left), forgets
   * the saved list (a restart does not rejoin), then calls onLeave. Safe to call twice.
   */
  async leave(): Promise<void> {
    if (this.leaving) return;
    this.leaving = true;
    this.self.status = 'leaving';
    this.stop();
    const notice = this.announcement('left');
    const targets = [...this.members.values()].filter((m) => m.status !== 'left');
    await Promise.all(
      targets.map((m) =>
        announce(m.url, notice, this.opts.probeTimeoutMs, undefined, this.opts.key).catch((err: Error) => this.log.warn('could not tell a member this agent is leaving', { member: m.name, error: err.message })),
      ),
    );
    await this.saving;
    if (this.opts.file) await fs.promises.rm(this.opts.file, { force: true });
    this.self.status = 'left';
    this.log.info('left the cluster', { told: targets.map((m) => m.name) });
    if (this.opts.onLeave) setImmediate(this.opts.onLeave);
  }

  /** Counts for /v1/agent/self's Stats (serf_lan). */
  stats(): { members: number; failed: number; left: number } {
    const all = this.list();
    return { members: all.length, failed: all.filter((m) => m.status === 'failed').length, left: all.filter((m) => m.status === 'left').length };
  }

  private probeAll(): void {
    void this.reap(Date.now());
    for (const m of this.members.values()) if (m.status === 'alive' || m.status === 'failed') void this.probe(m.name);
  }

  private async probe(name: string): Promise<void> {
    const m = this.members.get(name);
    if (!m || this.inFlight.has(name)) return;
    const ctrl = new AbortController();
    this.inFlight.set(name, ctrl);
    let answer: Announcement | undefined;
    let reason = '';
    try {
      answer = await announce(m.url, this.announcement(), this.opts.probeTimeoutMs, ctrl.signal, this.opts.key);
      if (answer.Name !== name) reason = `${m.url} is now agent ${JSON.stringify(answer.Name)}`;
    } catch (err) {
      reason = (err as Error).message;
    } finally {
      if (this.inFlight.get(name) === ctrl) this.inFlight.delete(name);
    }
    const cur = this.members.get(name);
    if (ctrl.signal.aborted || !cur || (cur.status !== 'alive' && cur.status !== 'failed')) return;
    try {
      if (answer && !reason) {
        if (answer.Status === 'left') await this.setStatus(cur, 'left', 'it is leaving the cluster');
        else await this.upsert(answer, cur.url);
      } else if (cur.status === 'alive' && ++cur.misses >= this.opts.failAfter) {
        await this.setStatus(cur, 'failed', reason);
      }
    } catch (err) {
      this.log.warn('could not record a probe result', { member: name, error: (err as Error).message });
    }
  }

  /** Refuses an announcement that would change another member, or a new member past the bound. */
  private admit(a: Announcement, url: string): void {
    try {
      checkAdmission(a, url, this.members, this.backend.store, this.opts.maxMembers);
    } catch (err) {
      if (err instanceof PraetorError) this.log.warn(`refused an announcement from ${JSON.stringify(a.Name)} at ${url}: ${err.message}`);
      throw err;
    }
  }

  /**
   * Forgets members that failed longer ago than reconnect_timeout, removing their node from
   * the catalog as force-leave -prune does, and members that left longer ago than
   * LEFT_MEMBER_TTL_MS (or reconnect_timeout if shorter).
   */
  private async reap(now: number): Promise<void> {
    const leftTtl = Math.min(LEFT_MEMBER_TTL_MS, this.opts.reconnectTimeoutMs);
    for (const m of [...this.members.values()]) {
      if (this.members.get(m.name) !== m) continue; // changed or removed while an earlier write waited
      const age = now - (m.since ?? now);
      if (m.status === 'failed' && age >= this.opts.reconnectTimeoutMs) {
        this.members.delete(m.name);
        this.log.info(`member removed: failed for longer than reconnect_timeout (${Math.round(this.opts.reconnectTimeoutMs / 1000)}s); its node leaves the catalog`, { member: m.name });
        await this.write((tx) => memberGoneTx(tx, m.name));
        this.save();
      } else if (m.status === 'left' && age >= leftTtl) {
        this.members.delete(m.name);
        this.log.info('member forgotten: it left the cluster', { member: m.name });
        this.save();
      }
    }
  }

  /** Adds or refreshes a live member from its announcement. */
  private async upsert(a: Announcement, url: string): Promise<void> {
    const old = this.members.get(a.Name);
    const m: Entry = { name: a.Name, id: a.ID, datacenter: a.Datacenter, nodeAddr: a.Addr, meta: { ...a.Meta }, tags: { ...a.Tags }, url, status: 'alive', misses: 0 };
    this.members.set(a.Name, m);
    const changed =
      !old || old.status !== 'alive' || old.url !== url || old.id !== m.id || old.nodeAddr !== m.nodeAddr || !sameMap(old.meta, m.meta) || !sameMap(old.tags, m.tags);
    if (!changed) return;
    if (!old || old.status === 'left') this.log.info('member joined', { member: a.Name, url });
    else if (old.status === 'failed') this.log.info('member is alive again', { member: a.Name, url });
    await this.toCatalog(m);
    this.save();
  }

  private async setStatus(m: Entry, status: 'failed' | 'left', reason: string): Promise<void> {
    m.status = status;
    m.since = Date.now();
    m.misses = 0;
    if (status === 'failed') this.log.warn('member failed', { member: m.name, reason });
    else this.log.info('member left', { member: m.name, reason });
    await this.toCatalog(m);
    this.save();
  }

  private toCatalog(m: Member): Promise<unknown> {
    return this.write((tx) => memberNodeTx(tx, m));
  }

  private async write(command: Parameters<Backend['submit']>[0]): Promise<void> {
    try {
      await this.backend.submit(command);
    } catch (err) {
      this.log.warn('could not update the catalog for a member', { error: (err as Error).message });
    }
  }

  /** Saves the list in the background, one write after another. */
  private save(): void {
    const file = this.opts.file;
    if (!file || this.leaving) return;
    const members = [...this.members.values()].map(({ misses: _, ...m }) => m);
    this.saving = this.saving
      .then(() => saveMembers(file, members))
      .catch((err: Error) => void this.log.warn('could not save the member list', { error: err.message }));
  }
}
