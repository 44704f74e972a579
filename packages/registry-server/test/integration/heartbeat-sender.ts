import http from 'node:http';
import { heartbeat, type HeartbeatAnswer } from '../../src/membership/heartbeat.js';
import type { Announcement } from '../../src/membership/member.js';

/** A client member's announcement, as a client agent sends it (Tags.role `node`). */
export const clientAnnouncement = (name: string, over: Partial<Announcement> = {}): Announcement => ({
  Name: name,
  ID: '',
  Datacenter: 'dc1',
  Addr: '127.0.0.1',
  Listen: ['127.0.0.1:1'],
  Tags: { role: 'node', dc: 'dc1', port: '8301' },
  Meta: {},
  Status: 'alive',
  ...over,
});

/**
 * A stand-in for a client agent's heartbeat loop (the real sender, heartbeat()): heartbeats to
 * one server every answer's IntervalMs, and moves to the next server of `servers` when one does
 * not answer. stop() ends the loop (no leave); leave() sends `left` once.
 */
export class HeartbeatSender {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private at = 0;
  private readonly agent = new http.Agent({ keepAlive: true });
  last: HeartbeatAnswer | null = null;
  errors: string[] = [];

  constructor(
    private readonly servers: string[],
    readonly announcement: Announcement,
    private readonly key?: Buffer,
  ) {}

  /** Sends the first heartbeat (resolves once it was answered) and keeps going. */
  async start(serverIndex = 0): Promise<void> {
    this.at = serverIndex;
    await this.beat();
  }

  /** Sends the next heartbeats to another server (as a client whose server stopped answering it, though alive). */
  moveTo(serverIndex: number): void {
    this.at = serverIndex;
  }

  /** Ends the loop, also when a heartbeat is in flight (it is neither retried nor followed by another). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.agent.destroy();
  }

  async leave(): Promise<HeartbeatAnswer> {
    this.stop();
    return heartbeat(this.servers[this.at]!, { ...this.announcement, Status: 'left' }, 5000, this.key);
  }

  private async beat(): Promise<void> {
    for (let tries = 0; tries < this.servers.length && !this.stopped; tries++) {
      try {
        this.last = await heartbeat(this.servers[this.at]!, this.announcement, 2000, this.key, this.agent);
        break;
      } catch (err) {
        this.errors.push((err as Error).message);
        this.at = (this.at + 1) % this.servers.length;
      }
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.beat(), this.last?.IntervalMs ?? 1000);
  }
}
