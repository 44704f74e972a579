import fs from 'node:fs/promises';

type Waiter = { resolve: () => void; reject: (e: Error) => void };

/** How many fdatasyncs may be in flight at once (each covers everything written before it). */
const MAX_SYNCS_IN_FLIGHT = 2;

/**
 * The active log segment, appended with group commit: the records appended in one tick are
 * written together and share one fdatasync. Writes are issued strictly in order; while one
 * batch's fdatasync is in flight the next batch may already be written and synced (an
 * fdatasync covers every byte written before it started), so the CPU work of the next batch
 * overlaps the disk wait of the previous one. Batches are acknowledged in order: append()
 * resolves only once its bytes, and every byte before them, are on disk.
 */
export class Wal {
  private pending: Buffer[] = [];
  private waiters: Waiter[] = [];
  private draining = false;
  private syncsInFlight = 0;
  /** Settles when the latest batch (and so every earlier one) is durable. */
  private lastDurable: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  bytes = 0;
  records = 0;

  private constructor(
    private handle: fs.FileHandle,
    readonly path: string,
    /** Called before each batch with nothing in flight (see quiesce): a safe point to rotate. */
    private readonly between: () => Promise<void>,
  ) {}

  static async open(path: string, between: () => Promise<void>): Promise<Wal> {
    const handle = await fs.open(path, 'a');
    return new Wal(handle, path, between);
  }

  append(record: Buffer): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.pending.push(record);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.drain();
    return done;
  }

  private drain(): void {
    if (this.draining || this.pending.length === 0 || this.syncsInFlight >= MAX_SYNCS_IN_FLIGHT) return;
    this.draining = true;
    // Let every write of this tick join the batch.
    setImmediate(() => void this.writeBatches());
  }

  private async writeBatches(): Promise<void> {
    // The batch being written: if writing it fails, its waiters are told so.
    let waiters: Waiter[] = [];
    try {
      while (this.pending.length > 0 && this.syncsInFlight < MAX_SYNCS_IN_FLIGHT && !this.failure) {
        await this.between();
        const batch = Buffer.concat(this.pending);
        waiters = this.waiters;
        this.records += this.pending.length;
        this.pending = [];
        this.waiters = [];
        await this.handle.write(batch);
        this.bytes += batch.length;
        this.syncsInFlight++;
        const synced = this.handle.datasync();
        const durable = Promise.all([this.lastDurable, synced]).then(() => undefined);
        this.lastDurable = durable.catch(() => undefined);
        const batchWaiters = waiters;
        waiters = [];
        durable.then(
          () => {
            for (const w of batchWaiters) w.resolve();
          },
          (err: Error) => this.fail(err, batchWaiters),
        ).finally(() => {
          this.syncsInFlight--;
          this.drain();
        });
      }
    } catch (err) {
      this.fail(err as Error, waiters);
    } finally {
      this.draining = false;
      this.drain();
    }
  }

  private fail(err: Error, waiters: Waiter[]): void {
    this.failure ??= err;
    for (const w of [...waiters, ...this.waiters]) w.reject(this.failure);
    this.waiters = [];
    this.pending = [];
  }

  /** Waits until nothing is in flight (every written batch is durable). */
  async quiesce(): Promise<void> {
    while (this.syncsInFlight > 0) await this.lastDurable;
  }

  /** Switches to a new segment file; only call from `between` (after quiesce()). */
  async rotate(path: string): Promise<void> {
    await this.quiesce();
    await this.handle.close();
    this.handle = await fs.open(path, 'a');
    (this as { path: string }).path = path;
    this.bytes = 0;
    this.records = 0;
  }

  get failed(): Error | null {
    return this.failure;
  }

  async close(): Promise<void> {
    while (this.draining || this.pending.length > 0 || this.syncsInFlight > 0) {
      await this.lastDurable;
      await new Promise((r) => setImmediate(r));
    }
    await this.handle.close().catch(() => undefined);
  }
}
