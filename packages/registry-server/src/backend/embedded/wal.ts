import fs from 'node:fs/promises';
import nodePath from 'node:path';
import { syncDir } from '../../internal/durable-file.js';

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
    return new Wal(await openSegment(path), path, between);
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
        await writeAll(this.handle, batch);
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
    this.handle = await openSegment(path);
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

/**
 * Opens a segment for appending; when that creates the file, fsyncs the directory too, so the
 * segment's name survives a crash along with the records fsynced into it.
 */
async function openSegment(path: string): Promise<fs.FileHandle> {
  const existed = await fs.stat(path).then(() => true, () => false);
  const handle = await fs.open(path, 'a');
  if (!existed) {
    try {
      await syncDir(nodePath.dirname(path));
    } catch (err) {
      await handle.close();
      throw err;
    }
  }
  return handle;
}

/**
 * Writes all of `buf` (a write may take fewer bytes than asked, e.g. near a full disk): loops
 * until every byte is written, or throws (ENOSPC, EIO...). Bytes written before a failure stay
 * at the end of the file as a torn record, which the next start drops.
 */
export async function writeAll(handle: fs.FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await handle.write(buf, off, buf.length - off);
    if (bytesWritten <= 0) throw new Error(`short write: ${off} of ${buf.length} bytes written, then none`);
    off += bytesWritten;
  }
}
