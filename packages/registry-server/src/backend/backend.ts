import type { Txn } from '../commands/txn.js';
import type { StateStore } from '../state/state-store.js';

/** A command: a function of a write transaction that returns its result (see commands/). */
export type Command<T> = (tx: Txn) => T;

export interface SubmitOptions {
  /**
   * A leader duty's write: made only while this server holds the leadership (with etcd, the
   * transaction requires its election key), so a server that lost it cannot act on old news.
   */
  asLeader?: boolean;
}

/**
 * Orders and persists the changes commands make and feeds them into the StateStore.
 * submit() resolves only once the change is durable and applied to this server's store. A
 * command that changes nothing resolves without a new revision. When changes commit, the
 * command's Txn records their revision (`tx.revision`), known only then, for results that
 * carry indexes. A command's Txn records what it read (`tx.reads`); a backend with several
 * writers commits the changes only if none of that changed meanwhile, else runs the command
 * again on the newer state.
 *
 * Read visibility (StateStore.readable, through the ReadFence a backend sets): a reader never
 * sees a write that is not durable (one a crash could still lose); a `fresh` read (the default
 * and ?consistent) sees every write acknowledged, by any server, before it started; a `stale`
 * one (?stale) may answer from what this server has, durable all the same.
 */
export interface Backend {
  readonly store: StateStore;
  /**
   * Reads persisted state into the store without changing any file; refuses (throws, naming the
   * file) state it cannot load whole. open() calls it if it was not called.
   */
  load(): Promise<void>;
  /** Loads (see load()), then makes the persisted state ready to take writes. */
  open(): Promise<void>;
  submit<T>(command: Command<T>, opts?: SubmitOptions): Promise<T>;
  /**
   * Replaces the whole state (every table, the index table, tombstones, the revision) with
   * `state`'s, durably, then releases every blocking query; writes submitted meanwhile wait for
   * it. `state` is a scratch store a snapshot was loaded into (and checked by) beforehand
   * (readSnapshotArchive, stateFromSnapshot), so a snapshot that does not load never gets here.
   */
  restore(state: StateStore): Promise<void>;
  /**
   * Where several servers share the state (etcd): calls `fn` each time another server has
   * restored a snapshot, so this one can put back what it owns. Absent where there is one server.
   */
  onRestoreElsewhere?(fn: () => void): void;
  /** Flushes what is pending and releases files; safe to call twice. */
  close(): Promise<void>;
}
