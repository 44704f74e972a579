import fs from 'node:fs/promises';

/**
 * The active log segment, appended with group commit: records appended while a write+fsync
 * is in flight wait for the next one, so every record of one tick shares one fdatasync.
 * append() resolves only once its bytes are on disk.
 */
export class Wal {
  private pending: Buffer[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private flushing: Promise<void> | null = null;
  private failure: Error | null = null;
  bytes = 0;
  records = 0;

  private constructor(
    private handle: fs.FileHandle,
    readonly path: string,
    /** Called between two group commits, with nothing in flight: a safe point to rotate. */
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
    if (!this.flushing) this.flushing = this.flushLoop();
    return done;
  }

  private async flushLoop(): Promise<void> {
    // Let every write of this tick join the batch.
    await new Promise((r) => setImmediate(r));
    try {
      while (this.pending.length > 0) {
        await this.between();
        const batch = Buffer.concat(this.pending);
        const waiters = this.waiters;
        this.records += this.pending.length;
        this.pending = [];
        this.waiters = [];
        await this.handle.write(batch);
        await this.handle.datasync();
        this.bytes += batch.length;
        for (const w of waiters) w.resolve();
      }
    } catch (err) {
      this.failure = err as Error;
      for (const w of this.waiters) w.reject(this.failure);
      this.waiters = [];
      this.pending = [];
    } finally {
      this.flushing = null;
    }
  }

  /** Switches to a new segment file; only call from `between` (nothing in flight). */
  async rotate(path: string): Promise<void> {
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
    while (this.flushing) await this.flushing.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }
}
