/** Work only the leader does: started when leadership is acquired, stopped when it is lost. */
export interface LeaderDuty {
  readonly name: string;
  start(): void;
  stop(): void;
}

/**
 * Whether this server leads its datacenter, and the duties that run only while it does
 * (session TTLs, failure detection, reapers, tombstone GC). The embedded store always leads
 * (SoleLeadership); with etcd, the server holding the etcd election does.
 */
export interface Leadership {
  isLeader(): boolean;
  /** Runs `duty` whenever this server leads, from now on. */
  add(duty: LeaderDuty): void;
  /** Stops every duty; safe to call twice. */
  close(): void;
}

/** One server, always the leader: duties run from add() to close(). */
export class SoleLeadership implements Leadership {
  private readonly duties: LeaderDuty[] = [];
  private closed = false;

  isLeader(): boolean {
    return !this.closed;
  }

  add(duty: LeaderDuty): void {
    if (this.closed) return;
    this.duties.push(duty);
    duty.start();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const d of this.duties) d.stop();
  }
}
