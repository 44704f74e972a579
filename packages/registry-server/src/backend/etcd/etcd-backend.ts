import crypto from 'node:crypto';
import type { Etcd3, IRequestOp } from 'etcd3';
import type { Logger } from 'winston';
import { Txn } from '../../commands/txn.js';
import { InternalError } from '../../errors.js';
import { parseDuration } from '../../internal/duration.js';
import { SESSION_TTL_MULTIPLIER } from '../../leader/session-timers.js';
import { StateStore, type ReadFence } from '../../state/state-store.js';
import type { Change } from '../../structs/change.js';
import { unindexed } from '../../structs/indexed.js';
import { ownedKey } from '../../structs/change.js';
import type { Backend, Command, SubmitOptions } from '../backend.js';
import { etcdProblem } from './etcd-errors.js';
import { prefixRange, SPACES, type EtcdKeys } from './etcd-keys.js';
import { EtcdMirror } from './etcd-mirror.js';
import { LeaseKeepAlive } from './lease-keepalive.js';
import { readCompares, writeOps, type EtcdWrite } from './etcd-write.js';

export interface EtcdBackendOptions {
  /** How long a write may wait for etcd before it fails (ms). */
  writeTimeoutMs?: number;
  /** How long a default or ?consistent read may wait to confirm it is current (ms). */
  readTimeoutMs?: number;
  /** How many times a command runs again after a concurrent write changed what it read. */
  maxAttempts?: number;
  /** Fault injection for tests: the mirror applies what etcd sends this much later (ms). */
  mirrorDelayMs?: number;
}

/** Entities per transaction when a restore writes a whole state (below etcd's default --max-txn-ops of 128). */
const RESTORE_BATCH = 100;

const deadline = (ms: number) => ({ deadline: new Date(Date.now() + ms) });

/** The one key of the restore space (SPACES.restored). */
const RESTORE_MARK = 'last';

/**
 * The etcd backend: the datacenter's state lives in an etcd cluster shared by every Praetor
 * server; this server's StateStore is a mirror of it (EtcdMirror). A command runs on the mirror
 * and its changes go to etcd as one transaction whose compares are what the command read, so
 * writes from several servers serialize as if there were one writer; the revision etcd commits
 * the transaction at is its index. Reads: `stale` answer from the mirror at once; `fresh`
 * ones first confirm with etcd which Praetor write is the latest (one request shared by the
 * reads that arrive meanwhile) and wait until the mirror has it: read-your-writes on every server.
 */
export class EtcdBackend implements Backend, ReadFence {
  readonly mirror: EtcdMirror;
  /** Keepalives for sessions' and client members' leases, over one stream. */
  readonly leases: LeaseKeepAlive;
  /** The election key this server campaigns with; leader-only writes require it to exist. */
  leaderKey: string | null = null;
  private closed = false;
  private restoring: Promise<void> | null = null;
  /** The tokens of restores this server made whose mark its mirror has not shown yet. */
  private readonly ownRestores = new Set<string>();
  private waiting: { promise: Promise<number>; resolve: (r: number) => void; reject: (e: Error) => void } | null = null;
  private confirming = false;
  private readonly writeTimeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly maxAttempts: number;

  constructor(
    readonly store: StateStore,
    readonly client: Etcd3,
    readonly keys: EtcdKeys,
    private readonly log: Logger,
    opts: EtcdBackendOptions = {},
  ) {
    this.mirror = new EtcdMirror(client, keys, store, log, opts.mirrorDelayMs);
    this.leases = new LeaseKeepAlive(client);
    this.writeTimeoutMs = opts.writeTimeoutMs ?? 10_000;
    this.readTimeoutMs = opts.readTimeoutMs ?? 10_000;
    this.maxAttempts = opts.maxAttempts ?? 50;
  }

  /** Lists the state from etcd and starts following it (waits, saying so, until etcd answers). */
  async load(): Promise<void> {
    if (this.mirror.seen > 0) return;
    await this.mirror.start();
  }

  async open(): Promise<void> {
    await this.load();
    this.store.barrier = this;
  }

  readable(mode: 'fresh' | 'stale'): Promise<void> | null {
    if (mode === 'stale') return null;
    return this.confirm();
  }

  /**
   * Settles once the mirror holds every Praetor write etcd had committed when this was called.
   * Calls that arrive while a confirmation is under way share the next one.
   */
  confirm(): Promise<void> {
    let batch = this.waiting;
    if (!batch) {
      let resolve!: (r: number) => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<number>((res, rej) => ((resolve = res), (reject = rej)));
      batch = this.waiting = { promise, resolve, reject };
      if (!this.confirming) void this.confirmBatches();
    }
    return batch.promise.then((revision) => this.caughtUp(revision, this.readTimeoutMs, 'read'));
  }

  private async confirmBatches(): Promise<void> {
    this.confirming = true;
    while (this.waiting) {
      const batch = this.waiting;
      this.waiting = null;
      try {
        const res = await this.client.kv.range({ key: Buffer.from(this.keys.last()) }, deadline(this.readTimeoutMs));
        this.mirror.lastContact = Date.now();
        batch.resolve(Number(res.kvs[0]?.mod_revision ?? 0));
      } catch (err) {
        batch.reject(new InternalError(`cannot confirm with etcd that this server is up to date (${etcdProblem(err)}); ?stale reads still answer from this server's copy`));
      }
    }
    this.confirming = false;
  }

  /** Waits until the mirror applied `revision`, for at most `ms`. */
  private async caughtUp(revision: number, ms: number, what: string): Promise<void> {
    if (this.mirror.seen >= revision) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new InternalError(`this server's copy of the state did not catch up with etcd (revision ${revision}) within ${ms} ms; the ${what} was not answered from it`)), ms);
    });
    try {
      await Promise.race([this.mirror.caughtUp(revision), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async submit<T>(command: Command<T>, opts: SubmitOptions = {}): Promise<T> {
    while (this.restoring) await this.restoring;
    let confirmed = false;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new InternalError('the agent is shutting down');
      const tx = new Txn(this.store);
      let out: T;
      try {
        out = command(tx);
      } catch (err) {
        // Refused on this server's copy (an unknown session, say): judge again on one known current.
        if (confirmed) throw err;
        await this.confirm();
        confirmed = true;
        continue;
      }
      const changes = tx.changes();
      if (changes.length === 0) {
        // Nothing to write, judged on this server's copy: judge again on one known current.
        if (confirmed) return out;
        await this.confirm();
        confirmed = true;
        continue;
      }
      const write = writeOps(this.keys, this.store, changes);
      write.compare = readCompares(this.keys, tx.reads);
      if (opts.asLeader) {
        if (!this.leaderKey) throw new InternalError('this server does not lead the datacenter');
        write.compare.push({ key: Buffer.from(this.leaderKey), target: 'Create', result: 'Greater', create_revision: 0 });
      }
      const revision = await this.commit(write);
      if (revision > 0) {
        tx.revision = revision;
        await this.caughtUp(revision, this.writeTimeoutMs, 'write');
        return out;
      }
      if (opts.asLeader && !this.mirror.side.election.has(this.leaderKey!.slice(this.keys.space(SPACES.election).length))) {
        throw new InternalError('this server lost the leadership; the write was not made');
      }
      if (attempt >= this.maxAttempts) {
        throw new InternalError(`the write kept conflicting with concurrent writes from other servers (${attempt} attempts); nothing was written, retry it`);
      }
      this.log.debug('a concurrent write changed what the command read; running it again', { attempt });
      await this.confirm();
      confirmed = true;
    }
  }

  /** Leader bookkeeping (reaping): writes `ops` as they are, while this server leads. */
  async writeKeys(ops: IRequestOp[]): Promise<void> {
    if (!this.leaderKey) throw new InternalError('this server does not lead the datacenter');
    const compare = [{ key: Buffer.from(this.leaderKey), target: 'Create' as const, result: 'Greater' as const, create_revision: 0 }];
    const revision = await this.commit({ compare, success: [...ops, { request_put: { key: Buffer.from(this.keys.last()), value: Buffer.alloc(0) } }], sessionLeases: [] });
    if (revision === 0) throw new InternalError('this server lost the leadership; nothing was reaped');
  }

  /** Sends one transaction; its revision, or 0 when a compare failed. */
  private async commit(write: EtcdWrite): Promise<number> {
    const leases: string[] = [];
    try {
      for (const s of write.sessionLeases) {
        const ttl = Math.max(1, Math.ceil((parseDuration(s.ttl) * SESSION_TTL_MULTIPLIER) / 1000));
        const { ID } = await this.client.leaseClient.leaseGrant({ TTL: ttl }, deadline(this.writeTimeoutMs));
        leases.push(ID);
        write.success.push({ request_put: { key: Buffer.from(`${this.keys.space(SPACES.sessionTtl)}${s.id}`), value: Buffer.alloc(0), lease: ID } });
      }
      const res = await this.client.kv.txn({ compare: write.compare, success: write.success }, deadline(this.writeTimeoutMs));
      this.mirror.lastContact = Date.now();
      if (res.succeeded) return Number(res.header.revision);
    } catch (err) {
      this.revoke(leases);
      throw new InternalError(`the write did not reach etcd (${etcdProblem(err)}); it may or may not have been made: read it back before retrying`);
    }
    this.revoke(leases);
    return 0;
  }

  private revoke(leases: string[]): void {
    for (const ID of leases) void this.client.leaseClient.leaseRevoke({ ID }).catch(() => undefined);
  }

  /**
   * Replaces the datacenter's state with `fresh`'s: deletes every entity (and the keys kept
   * with them), then writes the snapshot's entities in transactions of RESTORE_BATCH. Their
   * indexes are the revisions etcd writes them at (etcd's revisions only go forward), and
   * readers may see the state half-restored meanwhile; writes through this server wait. Last,
   * it puts the restore mark, which tells the other servers (onRestoreElsewhere).
   */
  async restore(fresh: StateStore): Promise<void> {
    while (this.restoring) await this.restoring;
    let done!: () => void;
    this.restoring = new Promise<void>((resolve) => (done = resolve));
    try {
      const spaces = [SPACES.node, SPACES.service, SPACES.check, SPACES.kv, SPACES.session, SPACES.config, SPACES['lock-delay'], SPACES.index, SPACES.tombstone, SPACES.lockFence, SPACES.sessionTtl];
      const clear: IRequestOp[] = spaces.map((s) => {
        const { key, end } = prefixRange(this.keys.space(s));
        return { request_delete_range: { key, range_end: end } };
      });
      let revision = await this.commit({ compare: [], success: clear, sessionLeases: [] });
      const changes: Change[] = [];
      for (const n of fresh.catalog.nodes.values()) changes.push({ t: 'node', k: n.Node, v: unindexed(n) });
      for (const byId of fresh.catalog.services.values()) for (const s of byId.values()) changes.push({ t: 'service', k: ownedKey(s.Node, s.ID), v: unindexed(s) });
      for (const byId of fresh.catalog.checks.values()) for (const c of byId.values()) changes.push({ t: 'check', k: ownedKey(c.Node, c.CheckID), v: unindexed(c) });
      for (const e of fresh.kv.entries.values()) changes.push({ t: 'kv', k: e.Key, v: unindexed(e) });
      for (const s of fresh.sessions.byId.values()) changes.push({ t: 'session', k: s.ID, v: unindexed(s) });
      for (const [k, e] of fresh.configs.byKey) changes.push({ t: 'config', k, v: unindexed(e) });
      const none = new StateStore(); // what is there now: nothing, every entity is new
      for (let i = 0; i < changes.length; i += RESTORE_BATCH) {
        const write = writeOps(this.keys, none, changes.slice(i, i + RESTORE_BATCH));
        revision = await this.commit(write);
        this.log.info('restoring a snapshot into etcd', { written: Math.min(i + RESTORE_BATCH, changes.length), of: changes.length });
      }
      const token = crypto.randomUUID();
      this.ownRestores.add(token);
      revision = await this.commit({ compare: [], success: [{ request_put: { key: Buffer.from(this.restoreMarkKey()), value: Buffer.from(token) } }], sessionLeases: [] });
      await this.caughtUp(revision, this.writeTimeoutMs, 'restore');
      this.log.info('restored a snapshot into etcd', { revision, entities: changes.length });
    } finally {
      this.restoring = null;
      done();
    }
  }

  /**
   * Calls `fn` each time another server completes a snapshot restore into etcd (its mark, seen
   * through this server's mirror): the restore replaced the catalog, which may now lack this
   * server's own node and file-defined services. Restores from before the call are not reported.
   */
  onRestoreElsewhere(fn: () => void): void {
    let seen = this.restoreMark()?.modRevision ?? 0;
    this.mirror.onChange(() => {
      const mark = this.restoreMark();
      if (!mark || mark.modRevision <= seen) return;
      seen = mark.modRevision;
      if (!this.ownRestores.delete(mark.value.toString())) fn();
    });
  }

  private restoreMark() {
    return this.mirror.side.restored.get(RESTORE_MARK);
  }

  private restoreMarkKey(): string {
    return this.keys.space(SPACES.restored) + RESTORE_MARK;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.leases.close();
    this.mirror.close();
    this.client.close();
  }
}
