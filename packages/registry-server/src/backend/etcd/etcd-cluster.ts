import type { Lease } from 'etcd3';
import type { Logger } from 'winston';
import type { SessionRenewer } from '../../leader/session-renewer.js';
import type { Session } from '../../structs/session.js';
import type { Cluster, ServerInfo } from '../cluster.js';
import type { EtcdBackend } from './etcd-backend.js';
import { etcdProblem } from './etcd-errors.js';
import { SPACES } from './etcd-keys.js';
import { EtcdLeadership } from './etcd-leadership.js';

export interface EtcdClusterOptions {
  /** The TTL of this server's lease (s): how long after it dies its leadership passes on. */
  leaseTtlSeconds?: number;
  /** How long without an answer from etcd before X-Consul-KnownLeader turns false (ms). */
  contactTimeoutMs?: number;
}

/**
 * This server's part in an etcd-backed datacenter: it announces itself (a server key) and
 * campaigns (an election key), both on one lease kept alive while it runs; it knows the other
 * servers and the leader from its mirror; session renewals keep the sessions' etcd leases alive,
 * so any server can renew a session and only etcd decides when its TTL ran out.
 */
export class EtcdCluster implements Cluster, SessionRenewer {
  readonly leadership: EtcdLeadership;
  private lease: Lease | null = null;
  private closed = false;
  private readonly ttl: number;
  private readonly contactTimeoutMs: number;

  constructor(
    private readonly backend: EtcdBackend,
    private readonly self: ServerInfo,
    private readonly log: Logger,
    opts: EtcdClusterOptions = {},
  ) {
    this.ttl = opts.leaseTtlSeconds ?? 3;
    this.contactTimeoutMs = opts.contactTimeoutMs ?? 10_000;
    this.leadership = new EtcdLeadership(backend.mirror, log);
  }

  /** Announces this server and joins the election; again with a new lease whenever one is lost. */
  async start(): Promise<void> {
    const { client, keys } = this.backend;
    for (let attempt = 1; !this.closed; attempt++) {
      const lease = client.lease(this.ttl);
      try {
        const id = await lease.grant();
        const value = Buffer.from(JSON.stringify(this.self));
        const serverKey = `${keys.space(SPACES.server)}${encodeURIComponent(this.self.name)}`;
        const electionKey = `${keys.space(SPACES.election)}${BigInt(id).toString(16).padStart(16, '0')}`;
        await client.kv.txn({
          success: [
            { request_put: { key: Buffer.from(serverKey), value, lease: id } },
            { request_put: { key: Buffer.from(electionKey), value, lease: id } },
          ],
        });
        this.lease = lease;
        lease.on('keepaliveSucceeded', () => (this.backend.mirror.lastContact = Date.now()));
        lease.on('lost', (err) => {
          if (this.closed || this.lease !== lease) return;
          this.log.warn(`lost this server's etcd lease (${err.message}); leaving the election and announcing it again`);
          this.backend.leaderKey = null;
          this.leadership.campaignWith(null);
          this.lease = null;
          void this.start();
        });
        this.backend.leaderKey = electionKey;
        this.leadership.campaignWith(electionKey.slice(keys.space(SPACES.election).length));
        this.log.info('announced this server in etcd and joined the leader election', { lease: id });
        return;
      } catch (err) {
        void lease.revoke().catch(() => undefined);
        const wait = Math.min(5000, 250 * attempt);
        this.log[attempt % 10 === 1 ? 'warn' : 'debug'](`cannot announce this server in etcd (${etcdProblem(err)}); retrying in ${wait} ms`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  leader(): string {
    const key = this.leadership.leaderKey();
    const v = key ? this.backend.mirror.side.election.get(key) : undefined;
    return v ? (JSON.parse(v.value.toString()) as ServerInfo).addr : '';
  }

  servers(): ServerInfo[] {
    return [...this.backend.mirror.side.server.values()].map((v) => JSON.parse(v.value.toString()) as ServerInfo).sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  }

  knownLeader(): boolean {
    return this.leader() !== '' && this.lastContact() < this.contactTimeoutMs;
  }

  lastContact(): number {
    return Math.max(0, Date.now() - this.backend.mirror.lastContact);
  }

  /** Keeps the session's etcd lease alive (a full TTL × 2 again). */
  async renew(id: string): Promise<Session | undefined> {
    const s = this.backend.store.sessions.get(id);
    if (!s?.TTL) return s;
    const lease = this.backend.mirror.side.sessionTtl.get(id)?.lease;
    if (lease) await this.backend.leases.keepAlive(lease);
    return this.backend.store.sessions.get(id);
  }

  /** Leaves: revokes the lease, so the other servers see this one go (and a new leader) at once. */
  async close(): Promise<void> {
    this.closed = true;
    this.leadership.close();
    const lease = this.lease;
    this.lease = null;
    await lease?.revoke().catch(() => undefined);
  }
}
