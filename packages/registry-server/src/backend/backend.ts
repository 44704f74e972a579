import type { Txn } from '../commands/txn.js';
import type { StateStore } from '../state/state-store.js';

/** A command: a function of a write transaction that returns its result (see commands/). */
export type Command<T> = (tx: Txn) => T;

/**
 * Orders and persists the changes commands make and feeds them into the StateStore.
 * submit() resolves only once the change is durable (for a durable backend) and applied; a
 * backend that applies before the change is durable sets the store's read barrier, so readers
 * never see it earlier (StateStore.readable);
 * a command that changes nothing resolves at once without a new revision. When changes commit,
 * the command's Txn records their revision (`tx.revision`) for results that carry indexes.
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
  submit<T>(command: Command<T>): Promise<T>;
  /**
   * Replaces the whole state (every table, the index table, tombstones, the revision) with
   * `state`'s, durably, then releases every blocking query; writes submitted meanwhile wait for
   * it. `state` is a scratch store a snapshot was loaded into (and checked by) beforehand
   * (readSnapshotArchive, stateFromSnapshot), so a snapshot that does not load never gets here.
   */
  restore(state: StateStore): Promise<void>;
  /** Flushes what is pending and releases files; safe to call twice. */
  close(): Promise<void>;
}
