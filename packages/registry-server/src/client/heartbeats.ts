import type { Logger } from 'winston';
import type { HeartbeatAnswer } from '../membership/heartbeat.js';
import type { Announcement } from '../membership/member.js';
import type { ServerPool } from './server-pool.js';

export type SendHeartbeat = (baseUrl: string, a: Announcement, timeoutMs: number) => Promise<HeartbeatAnswer>;

const FIRST_INTERVAL_MS = 2000;

/**
 * A client agent's heartbeats: its announcement, sent to the server it uses at the interval
 * the servers ask for, keeps it alive in the datacenter's membership (its node's serfHealth);
 * the answers keep the server list current. A server that does not answer hands over to the
 * next at once; when none answers, the join addresses are tried again (a server may have come
 * back under its name with another address). `onAttach` is told when a server answers after
 * another one did, or after a time without answers: its catalog copy of the node may be stale.
 */
export class Heartbeats {
  private timer: NodeJS.Timeout | undefined;
  private intervalMs = FIRST_INTERVAL_MS;
  private attachedTo: string | undefined;
  private stopped = true;
  private beating: Promise<boolean> | null = null;
  /** Until a first server answered, joining is the joins' business (their own retry and backoff). */
  private everAttached = false;

  constructor(
    private readonly pool: ServerPool,
    private readonly send: SendHeartbeat,
    private readonly announcement: (status?: Announcement['Status']) => Announcement,
    private readonly seeds: readonly string[],
    private readonly log: Logger,
    private readonly onAttach: (url: string, answer: HeartbeatAnswer) => void,
  ) {}

  /** Why the last heartbeat that failed did, for logs. */
  lastError = '';

  /** The DNS interface of the server the last heartbeat reached. */
  serverDns(): string | undefined {
    return this.attachedTo === undefined ? undefined : this.dns;
  }

  private dns: string | undefined;

  /** The server the last heartbeat reached, if the last one reached any. */
  attached(): string | undefined {
    return this.attachedTo;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.beat().finally(() => this.schedule()), this.intervalMs);
    this.timer.unref();
  }

  /** One heartbeat, to the current server or the next ones in turn; true when one answered. */
  beat(): Promise<boolean> {
    this.beating ??= this.beatInTurn().finally(() => (this.beating = null));
    return this.beating;
  }

  private async beatInTurn(): Promise<boolean> {
    if (!this.everAttached) return false;
    for (const url of this.pool.inTurn()) if (await this.beatTo(url)) return true;
    // None answered: the join addresses again, in case a server came back elsewhere.
    for (const s of this.seeds) {
      const url = this.pool.add(s);
      if (await this.beatTo(url)) return true;
    }
    if (this.attachedTo !== undefined) this.log.warn('no server answers heartbeats; retrying (requests fail with "No known Consul servers" meanwhile)', { servers: this.pool.list().join(',') });
    this.attachedTo = undefined;
    return false;
  }

  /** A heartbeat to one server (a join, or one turn of the loop); true when it answered. */
  async beatTo(url: string): Promise<boolean> {
    let answer: HeartbeatAnswer;
    try {
      answer = await this.send(url, this.announcement(), Math.max(1000, this.intervalMs));
    } catch (err) {
      this.lastError = `${url}: ${(err as Error).message}`;
      if (url === this.attachedTo) this.log.warn(`server ${url} does not answer heartbeats; moving to the next: ${(err as Error).message}`);
      else this.log.debug('heartbeat not answered', { server: url, error: (err as Error).message });
      this.pool.failed(url);
      return false;
    }
    this.pool.use(url);
    this.pool.update(answer.Servers);
    this.pool.use(url);
    if (answer.IntervalMs > 0) this.intervalMs = answer.IntervalMs;
    this.everAttached = true;
    this.dns = answer.DNS;
    if (this.attachedTo !== url) {
      this.log.info('attached to a server', { server: url, servers: this.pool.list().join(',') });
      this.attachedTo = url;
      this.onAttach(url, answer);
    }
    return true;
  }

  /** The graceful leave: a `left` announcement to the servers in turn until one takes it. */
  async leave(): Promise<boolean> {
    this.stop();
    for (const url of this.pool.inTurn()) {
      try {
        await this.send(url, this.announcement('left'), 5000);
        return true;
      } catch (err) {
        this.log.warn(`server ${url} did not take the leave: ${(err as Error).message}`);
      }
    }
    return false;
  }
}
