import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'winston';
import { Txn } from '../../commands/txn.js';
import { InternalError } from '../../errors.js';
import type { StateStore } from '../../state/state-store.js';
import type { Backend, Command } from '../backend.js';
import { decodeRecords, encodeRecord } from './record.js';
import { installState } from '../restore-state.js';
import { loadSnapshotFile, writeStateFile } from './snapshot-file.js';
import { takeSnapshot, type Snapshot } from './snapshot.js';
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
/** A snapshot a crash interrupted before its rename. */
const SNAP_TMP = /^snapshot-\d{20}\.json\.tmp$/;
const pad = (n: number) => String(n).padStart(20, '0');

/**
 * Writes a snapshot file durably: streamed record by record to a temporary name, fsynced,
 * renamed, the directory fsynced.
 */
async function writeSnapshotFile(dir: string, snap: Snapshot): Promise<string> {
  const name = `snapshot-${pad(snap.revision)}.json`;
  const tmp = path.join(dir, `${name}.tmp`);
  const fh = await fs.open(tmp, 'w');
  try {
    await writeStateFile(fh, snap);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, path.join(dir, name));
  await syncDir(dir);
  return name;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  await handle.sync().finally(() => handle.close());
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * The embedded durable backend: one writer, an append-only log of revisioned changes in
 * `<data-dir>/state/`, group-committed (one fdatasync per tick), plus periodic snapshots so a
 * restart replays a bounded tail. A write is acknowledged only once it is on disk.
 */
export class EmbeddedBackend implements Backend {
  private readonly dir: string;
  private wal: Wal | null = null;
  private closed = false;
  /** Set while a restore runs: writes wait for it. */
  private restoring: Promise<void> | null = null;
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
    await this.finishRestore();
    await fs.mkdir(this.dir, { recursive: true });
    const names = await fs.readdir(this.dir);
    const snaps = names.filter((n) => SNAP.test(n)).sort().reverse();
    for (const name of snaps) {
      try {
        const revision = await loadSnapshotFile(path.join(this.dir, name), this.store);
        this.log.info('loaded snapshot', { file: name, revision });
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
    while (this.restoring) await this.restoring;
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
   * replay skips those) and starts a new segment, then drops what the snapshot covers. The
   * snapshot is the state when this starts (takeSnapshot copies references to immutable rows);
   * it is streamed a slice at a time, so requests are served meanwhile, and writes made
   * meanwhile wait in the log's queue (this runs between its batches) for the new segment.
   */
  private async snapshot(): Promise<void> {
    const snap = takeSnapshot(this.store);
    const name = await writeSnapshotFile(this.dir, snap);
    const active = `wal-${pad(snap.revision + 1)}.log`;
    await this.wal!.rotate(path.join(this.dir, active));
    for (const n of await fs.readdir(this.dir)) {
      const stale = (SNAP.test(n) && n < name) || (SEG.test(n) && n < active) || SNAP_TMP.test(n);
      if (stale) await fs.rm(path.join(this.dir, n), { force: true });
    }
    this.log.debug('snapshot written', { revision: snap.revision });
  }

  /**
   * Replaces the state with a snapshot's. Writes wait; the log is flushed and closed; the new
   * state is written as a snapshot in `state.restore/`, which then takes the place of `state/`
   * (two renames; open() finishes a restore interrupted between them), so a restart loads the
   * restored state and nothing of the old log. Only then is the live store swapped for `fresh`.
   */
  async restore(fresh: StateStore): Promise<void> {
    const snapshot = takeSnapshot(fresh);
    while (this.restoring) await this.restoring;
    let done!: () => void;
    this.restoring = new Promise<void>((resolve) => (done = resolve));
    try {
      const wal = this.wal;
      if (this.closed || !wal) throw new InternalError('the agent is shutting down');
      if (wal.failed) throw new InternalError(`the data dir cannot be written: ${wal.failed.message}`);
      await wal.close();
      this.wal = null;
      try {
        await this.replaceDir(snapshot);
      } catch (err) {
        this.log.error('could not write the restored state; keeping the current one', { error: (err as Error).message });
        this.wal = await Wal.open(wal.path, () => this.maybeSnapshot());
        throw new InternalError(`cannot write the restored state to the data dir: ${(err as Error).message}`);
      }
      // The data dir now holds the restored state: so must memory, whatever happens next.
      installState(this.store, fresh);
      try {
        this.wal = await Wal.open(path.join(this.dir, `wal-${pad(snapshot.revision + 1)}.log`), () => this.maybeSnapshot());
      } catch (err) {
        const fatal = this.onFatal;
        this.onFatal = undefined;
        fatal?.(err as Error);
        throw new InternalError(`the restored state is on disk but the log cannot be opened: ${(err as Error).message}`);
      }
      this.log.info('restored a snapshot', { revision: snapshot.revision });
    } finally {
      this.restoring = null;
      done();
    }
  }

  private async replaceDir(snapshot: Snapshot): Promise<void> {
    const dataDir = path.dirname(this.dir);
    const next = path.join(dataDir, 'state.restore');
    const old = path.join(dataDir, 'state.old');
    await fs.rm(next, { recursive: true, force: true });
    await fs.mkdir(next);
    await writeSnapshotFile(next, snapshot);
    await fs.rm(old, { recursive: true, force: true });
    await fs.rename(this.dir, old);
    await fs.rename(next, this.dir);
    await syncDir(dataDir);
    await fs.rm(old, { recursive: true, force: true });
  }

  /** Completes or discards a restore that a crash interrupted (see restore()). */
  private async finishRestore(): Promise<void> {
    const dataDir = path.dirname(this.dir);
    const next = path.join(dataDir, 'state.restore');
    if (!(await exists(this.dir)) && (await exists(next))) {
      this.log.warn('finishing a snapshot restore that was interrupted');
      await fs.rename(next, this.dir);
    }
    await fs.rm(next, { recursive: true, force: true });
    await fs.rm(path.join(dataDir, 'state.old'), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    while (this.restoring) await this.restoring;
    if (this.closed) return;
    this.closed = true;
    await this.wal?.close();
  }
}
