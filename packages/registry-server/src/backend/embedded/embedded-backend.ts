import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'winston';
import { Txn } from '../../commands/txn.js';
import { InternalError } from '../../errors.js';
import type { StateStore } from '../../state/state-store.js';
import type { Backend, Command } from '../backend.js';
import { decodeRecords, encodeRecord, replacer, reviver } from './record.js';
import { restoreSnapshot, takeSnapshot, type Snapshot } from './snapshot.js';
import { Wal } from './wal.js';

export interface EmbeddedOptions {
  /** Take a snapshot and start a new segment once the active one holds this many records. */
  snapshotRecords?: number;
  /** ... or this many bytes. */
  snapshotBytes?: number;
  /**
   * Called once when the data dir can no longer be written. The in-memory state then holds a
   * write the disk does not, so the process should stop (a restart reloads what is on disk).
   */
  onFatal?: (err: Error) => void;
}

const SNAP = /^snapshot-(\d{20})\.json$/;
const SEG = /^wal-(\d{20})\.log$/;
const pad = (n: number) => String(n).padStart(20, '0');

/**
 * The embedded durable backend: one writer, an append-only log of revisioned changes in
 * `<data-dir>/state/`, group-committed (one fdatasync per tick), plus periodic snapshots so a
 * restart replays a bounded tail. A write is acknowledged only once it is on disk.
 */
export class EmbeddedBackend implements Backend {
  private readonly dir: string;
  private wal: Wal | null = null;
  private closed = false;
  private readonly snapshotRecords: number;
  private readonly snapshotBytes: number;

  constructor(
    readonly store: StateStore,
    dataDir: string,
    private readonly log: Logger,
    opts: EmbeddedOptions = {},
  ) {
    this.dir = path.join(dataDir, 'state');
    this.snapshotRecords = opts.snapshotRecords ?? 100_000;
    this.snapshotBytes = opts.snapshotBytes ?? 64 * 1024 * 1024;
    this.onFatal = opts.onFatal;
  }

  private onFatal?: (err: Error) => void;

  async open(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const names = await fs.readdir(this.dir);
    const snaps = names.filter((n) => SNAP.test(n)).sort().reverse();
    for (const name of snaps) {
      try {
        const snap = JSON.parse(await fs.readFile(path.join(this.dir, name), 'utf8'), reviver) as Snapshot;
        restoreSnapshot(this.store, snap);
        this.log.info('loaded snapshot', { file: name, revision: snap.revision });
        break;
      } catch (err) {
        this.log.warn('skipping unreadable snapshot', { file: name, error: (err as Error).message });
      }
    }
    const segments = names.filter((n) => SEG.test(n)).sort();
    let replayed = 0;
    for (const [i, name] of segments.entries()) {
      const file = path.join(this.dir, name);
      const buf = await fs.readFile(file);
      const { records, end } = decodeRecords(buf);
      for (const rec of records) {
        if (rec.r <= this.store.revision) continue;
        this.store.apply(rec.r, rec.c);
        replayed++;
      }
      if (end < buf.length) {
        if (i !== segments.length - 1) {
          throw new Error(`log segment ${file} is corrupt at byte ${end} and is not the last one; restore from a snapshot or move the data dir aside`);
        }
        this.log.warn('truncating torn tail of the log (a write that was never acknowledged)', { file, bytes: buf.length - end });
        await fs.truncate(file, end);
      }
    }
    this.log.info('state loaded', { revision: this.store.revision, replayed });
    this.wal = await Wal.open(path.join(this.dir, `wal-${pad(this.store.revision + 1)}.log`), () => this.maybeSnapshot());
    if (replayed > 0 || segments.length > 1) await this.snapshot();
  }

  async submit<T>(command: Command<T>): Promise<T> {
    const wal = this.wal;
    if (this.closed || !wal) throw new InternalError('the agent is shutting down');
    if (wal.failed) throw new InternalError(`the data dir cannot be written: ${wal.failed.message}`);
    const tx = new Txn(this.store);
    const out = command(tx);
    const changes = tx.changes();
    if (changes.length === 0) return out;
    const revision = this.store.revision + 1;
    tx.revision = revision;
    const record = encodeRecord({ r: revision, c: changes });
    const fired = this.store.apply(revision, changes);
    try {
      await wal.append(record);
    } catch (err) {
      this.log.error('write to the data dir failed; refusing further writes', { error: (err as Error).message });
      const fatal = this.onFatal;
      this.onFatal = undefined;
      fatal?.(err as Error);
      throw new InternalError(`the data dir cannot be written: ${(err as Error).message}`);
    }
    // Wake watchers after this write's own answer is on its way, not before it.
    setImmediate(() => this.store.fire(fired));
    return out;
  }

  private async maybeSnapshot(): Promise<void> {
    const wal = this.wal!;
    if (wal.records >= this.snapshotRecords || wal.bytes >= this.snapshotBytes) await this.snapshot();
  }

  /**
   * Writes the whole state (which may include records still waiting for the next group commit;
   * replay skips those) and starts a new segment, then drops what the snapshot covers.
   */
  private async snapshot(): Promise<void> {
    const snap = takeSnapshot(this.store);
    const name = `snapshot-${pad(snap.revision)}.json`;
    const tmp = path.join(this.dir, `${name}.tmp`);
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify(snap, replacer));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, path.join(this.dir, name));
    const dirHandle = await fs.open(this.dir, 'r');
    await dirHandle.sync().finally(() => dirHandle.close());
    const active = `wal-${pad(snap.revision + 1)}.log`;
    await this.wal!.rotate(path.join(this.dir, active));
    for (const n of await fs.readdir(this.dir)) {
      if ((SNAP.test(n) && n < name) || (SEG.test(n) && n < active)) await fs.rm(path.join(this.dir, n), { force: true });
    }
    this.log.debug('snapshot written', { revision: snap.revision });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.wal?.close();
  }
}
