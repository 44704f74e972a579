import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'winston';
import { Txn } from '../../commands/txn.js';
import { InternalError } from '../../errors.js';
import { ReadBarrier } from '../../state/read-barrier.js';
import { StateStore } from '../../state/state-store.js';
import type { Backend, Command } from '../backend.js';
import { encodeRecord } from './record.js';
import { installState } from '../restore-state.js';
import { loadSnapshotFile, writeStateFile } from './snapshot-file.js';
import { takeSnapshot, type Snapshot } from '../../state/snapshot.js';
import { cutTo, setAside, type AsideFile } from './damaged-files.js';
import { replayLog, SEG } from './log-replay.js';
import { removeTempFiles, syncDir } from '../../internal/durable-file.js';
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
  /**
   * `-recover-data-dir`: when the newest snapshot cannot be read or the log is damaged, set
   * the damaged files aside (damaged-files.ts) and start from the valid state before them,
   * instead of refusing to start.
   */
  recover?: boolean;
}

const SNAP = /^snapshot-(\d{20})\.json$/;
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

/** What open() does when it finds damage and may not repair it (no -recover-data-dir). */
const refusal = (dataDir: string, problem: string) =>
  `${problem}. The agent did not start and changed no file. To go on: restore a saved snapshot ` +
  `('praetor snapshot restore FILE' on an agent with an empty -data-dir), or start again with ` +
  `-recover-data-dir to move the damaged files into ${path.join(dataDir, 'damaged-<time>')}/ and ` +
  `start from the valid state before them (writes after the damage are then not loaded).`;

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
    this.recover = opts.recover ?? false;
  }

  private onFatal?: (err: Error) => void;
  private readonly recover: boolean;
  private barrier: ReadBarrier | null = null;

  /** What load() found that start() repairs: a torn tail to cut, damaged files to set aside. */
  private plan: { torn?: { name: string; at: number; bytes: number }; aside: AsideFile[]; replayed: number; segments: number } | null = null;

  /**
   * Reads the newest snapshot and the log after it into the store, changing no file (except to
   * finish an interrupted restore). Refuses, naming the file, when the snapshot cannot be read,
   * the log does not continue it without a gap, or a record other than the very last is bad;
   * with `recover`, plans to set those files aside instead.
   */
  async load(): Promise<void> {
    if (this.plan) return;
    await this.finishRestore();
    const dataDir = path.dirname(this.dir);
    const names = await fs.readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    const aside: AsideFile[] = [];
    for (const name of names.filter((n) => SNAP.test(n)).sort().reverse()) {
      const file = path.join(this.dir, name);
      try {
        const revision = await loadSnapshotFile(file, this.store);
        this.log.info('loaded snapshot', { file: name, revision });
        break;
      } catch (err) {
        const problem = `the snapshot ${file} cannot be read (${(err as Error).message})`;
        if (!this.recover) throw new Error(refusal(dataDir, problem));
        this.log.warn(`${problem}; -recover-data-dir: setting it aside`);
        aside.push({ name, at: 0 });
      }
    }
    const replay = await replayLog(this.store, this.dir, names.filter((n) => SEG.test(n)).sort());
    if (replay.damage) {
      if (!this.recover) throw new Error(refusal(dataDir, replay.damage.problem));
      this.log.warn(`${replay.damage.problem}; -recover-data-dir: setting it aside and starting from revision ${this.store.revision}`);
      aside.push({ name: replay.damage.name, at: replay.damage.at }, ...replay.after.map((name) => ({ name, at: 0 })));
    }
    this.plan = { torn: replay.torn, aside, replayed: replay.replayed, segments: replay.segments };
    this.log.info('state loaded', { revision: this.store.revision, replayed: replay.replayed });
  }

  /** load(), then makes the data dir ready to write: repairs what load() found, opens the log. */
  async open(): Promise<void> {
    await this.load();
    const plan = this.plan!;
    const dataDir = path.dirname(this.dir);
    await fs.mkdir(this.dir, { recursive: true });
    await removeTempFiles(this.dir);
    if (plan.aside.length > 0) {
      const folder = await setAside(dataDir, this.dir, plan.aside);
      this.log.warn(`moved the damaged files into ${folder} (kept intact); starting from revision ${this.store.revision}`, { files: plan.aside.map((f) => f.name) });
    }
    if (plan.torn) {
      this.log.warn(
        `dropping an incomplete record at the end of the log: ${plan.torn.bytes} bytes from byte ${plan.torn.at} of ${plan.torn.name}, ` +
          'a write cut off by a crash or a full disk, which was never acknowledged (writes are acknowledged only once fully on disk)',
      );
      await cutTo(path.join(this.dir, plan.torn.name), plan.torn.at);
    }
    this.store.barrier = this.barrier = new ReadBarrier(() => this.store.revision);
    this.wal = await Wal.open(path.join(this.dir, `wal-${pad(this.store.revision + 1)}.log`), () => this.maybeSnapshot());
    if (plan.replayed > 0 || plan.segments > 1 || plan.aside.length > 0) await this.snapshot();
  }

  async submit<T>(command: Command<T>): Promise<T> {
    for (;;) {
      // A restore runs, or reads wait for the writes before this one to be durable (ReadBarrier).
      const wait = this.restoring ?? this.barrier?.writesHeld();
      if (!wait) break;
      await wait;
    }
    const wal = this.wal;
    if (this.closed) throw new InternalError('the agent is shutting down');
    if (!wal) throw new InternalError('the agent is starting: its data dir is not open for writes yet');
    if (wal.failed) throw new InternalError(`the data dir cannot be written: ${wal.failed.message}`);
    const tx = new Txn(this.store);
    const out = command(tx);
    const changes = tx.changes();
    if (changes.length === 0) return out;
    const revision = this.store.revision + 1;
    tx.revision = revision;
    // Lock delays are short-lived and kept in memory only, as in Consul: never in the log.
    const record = encodeRecord({ r: revision, c: changes.filter((c) => c.t !== 'lock-delay') });
    const fired = this.store.apply(revision, changes);
    try {
      await wal.append(record);
    } catch (err) {
      const failure = new InternalError(`the data dir cannot be written: ${(err as Error).message}`);
      if (!this.barrier?.failed) this.log.error(`writing to the data dir failed (${(err as Error).message}); refusing every further write and read`);
      this.barrier?.fail(failure);
      const fatal = this.onFatal;
      this.onFatal = undefined;
      fatal?.(err as Error);
      throw failure;
    }
    this.barrier?.markDurable(revision);
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
      const stale = (SNAP.test(n) && n < name) || (SEG.test(n) && n < active);
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
      this.barrier?.reset();
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
