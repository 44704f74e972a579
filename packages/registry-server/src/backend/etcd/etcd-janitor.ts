import type { IRequestOp } from 'etcd3';
import type { Logger } from 'winston';
import type { LeaderDuty } from '../../leader/leadership.js';
import { TOMBSTONE_GC_INTERVAL_MS, TOMBSTONE_TTL_MS } from '../../state/tombstone-gc.js';
import type { EtcdBackend } from './etcd-backend.js';
import { KV_FLOOR } from './etcd-listing.js';
import { SPACES } from './etcd-keys.js';

/** Keys deleted per transaction (below etcd's default --max-txn-ops of 128). */
const BATCH = 100;

/**
 * The leader's tombstone GC with etcd: every interval it notes the mirror's revision; KV
 * tombstones at or below a revision noted more than the TTL ago are deleted from etcd (with the
 * KV floor recorded, so indexes never go backwards), and so are lock delays that ran out. Every
 * server forgets them as its mirror sees the deletes.
 */
export class EtcdJanitor implements LeaderDuty {
  readonly name = 'tombstone GC';
  private timer: NodeJS.Timeout | null = null;
  private marks: Array<{ at: number; revision: number }> = [];

  constructor(
    private readonly backend: EtcdBackend,
    private readonly log: Logger,
    private readonly opts: { ttlMs?: number; intervalMs?: number } = {},
  ) {}

  start(): void {
    this.marks = [];
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs ?? TOMBSTONE_GC_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass; returns how many keys it deleted. */
  async tick(now = Date.now()): Promise<number> {
    const { store, keys } = this.backend;
    this.marks.push({ at: now, revision: this.backend.mirror.seen });
    let upTo = -1;
    while (this.marks.length > 0 && now - this.marks[0]!.at >= (this.opts.ttlMs ?? TOMBSTONE_TTL_MS)) upTo = this.marks.shift()!.revision;
    const ops: IRequestOp[] = [];
    let floor = 0;
    for (const [key, revision] of store.kv.tombstones) {
      if (revision > upTo) continue;
      ops.push({ request_delete_range: { key: Buffer.from(`${keys.space(SPACES.tombstone)}${key}`) } });
      floor = Math.max(floor, revision);
    }
    for (const [key, until] of store.sessions.lockDelays) {
      if (until <= now) ops.push({ request_delete_range: { key: Buffer.from(keys.entity('lock-delay', key)) } });
    }
    if (ops.length === 0) return 0;
    try {
      for (let i = 0; i < ops.length; i += BATCH) {
        const batch = ops.slice(i, i + BATCH);
        if (floor > 0) batch.push({ request_put: { key: Buffer.from(`${keys.space(SPACES.index)}${KV_FLOOR}`), value: Buffer.from(String(floor)) } });
        await this.backend.writeKeys(batch);
      }
      this.log.debug('reaped KV tombstones and lock delays in etcd', { keys: ops.length, upTo });
    } catch (err) {
      this.log.warn('could not reap tombstones in etcd; the next pass retries', { error: (err as Error).message });
    }
    return ops.length;
  }
}
