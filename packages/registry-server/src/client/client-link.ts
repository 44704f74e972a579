import type { Logger } from 'winston';
import type { ClientConfig } from '../config/agent-config.js';
import { JoinError } from '../errors.js';
import type { Announcement } from '../membership/member.js';
import type { StateStore } from '../state/state-store.js';
import { AntiEntropy } from './anti-entropy.js';
import { Heartbeats, type SendHeartbeat } from './heartbeats.js';
import { ServerPool } from './server-pool.js';

/**
 * A client agent's link to the servers of its datacenter: the server pool, the heartbeats
 * that keep it a live member and the pool current, the anti-entropy sync of its node, and the
 * joins (-join at start, -retry-join in the background, `praetor join` at any time).
 */
export class ClientLink {
  readonly pool = new ServerPool();
  readonly heartbeats: Heartbeats;
  readonly sync: AntiEntropy;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly config: ClientConfig,
    node: string,
    store: StateStore,
    send: SendHeartbeat,
    announcement: (status?: Announcement['Status']) => Announcement,
    private readonly log: Logger,
    /** -retry-max attempts failed: the agent gives up. */
    private readonly onGiveUp: (why: string) => void,
  ) {
    this.sync = new AntiEntropy(node, store, this.pool, config.syncInterval, log.child({ component: 'anti-entropy' }));
    this.heartbeats = new Heartbeats(this.pool, send, announcement, [...config.join, ...config.retryJoin], log.child({ component: 'heartbeat' }), (_url, answer) => {
      this.sync.setMembers(answer.Members);
      void this.sync.trigger();
    });
  }

  /** -join: each address once; throws a JoinError when none answers. Then the loops start. */
  async start(): Promise<void> {
    if (this.config.join.length > 0) {
      let joined = 0;
      for (const a of this.config.join) if (await this.tryJoin(a)) joined++;
      if (joined === 0) throw new JoinError(this.config.join.join(', '), 'no server answered (-join); check the addresses, or use -retry-join to keep trying');
    }
    this.sync.start();
    this.heartbeats.start();
    if (this.config.retryJoin.length > 0 && !this.heartbeats.attached()) this.retryJoin(1, 1000);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.heartbeats.stop();
    this.sync.stop();
  }

  /** `praetor join ADDRESS` on this client: a server to use; throws a JoinError when it does not answer. */
  async join(address: string): Promise<void> {
    if (!(await this.tryJoin(address))) throw new JoinError(address, 'it did not answer the heartbeat (is it a Praetor server of this datacenter?)');
  }

  /** A server announced itself to this client (`praetor join CLIENT` on a server): use it too. */
  adopt(address: string): void {
    void this.tryJoin(address);
  }

  private async tryJoin(address: string): Promise<boolean> {
    let url: string;
    try {
      url = this.pool.add(address);
    } catch (err) {
      throw new JoinError(address, (err as Error).message);
    }
    return this.heartbeats.beatTo(url);
  }

  /** -retry-join: every address, again after a wait that doubles up to -retry-interval, until one answers or -retry-max attempts. */
  private retryJoin(attempt: number, waitMs: number): void {
    void (async () => {
      for (const a of this.config.retryJoin) if (!this.stopped && (await this.tryJoin(a).catch(() => false))) return;
      if (this.stopped || this.heartbeats.attached()) return;
      const max = this.config.retryMax;
      if (max > 0 && attempt >= max) {
        this.onGiveUp(`no server answered after ${attempt} -retry-join attempts (${this.config.retryJoin.join(', ')})`);
        return;
      }
      this.log.warn(`no server answered -retry-join (${this.config.retryJoin.join(', ')}); retrying in ${waitMs / 1000}s`, { attempt, last_error: this.heartbeats.lastError });
      this.retryTimer = setTimeout(() => this.retryJoin(attempt + 1, Math.min(waitMs * 2, this.config.retryInterval)), waitMs);
    })();
  }

  /** The graceful leave: the servers mark this member left and drop its node. */
  async leave(): Promise<void> {
    this.stop();
    if (!(await this.heartbeats.leave())) this.log.warn('no server took the leave; the servers will see this agent fail instead');
  }
}
