import { Txn } from '../commands/txn.js';
import type { StateStore } from '../state/state-store.js';
import type { Backend, Command } from './backend.js';
import { installState } from './restore-state.js';

/** `-dev`: everything in memory; a write is applied and visible as soon as it is made. */
export class MemoryBackend implements Backend {
  constructor(readonly store: StateStore) {}

  async load(): Promise<void> {}

  async open(): Promise<void> {}

  async submit<T>(command: Command<T>): Promise<T> {
    const tx = new Txn(this.store);
    const out = command(tx);
    const changes = tx.changes();
    if (changes.length > 0) {
      tx.revision = this.store.revision + 1;
      this.store.commit(tx.revision, changes);
    }
    return out;
  }

  async restore(state: StateStore): Promise<void> {
    installState(this.store, state);
  }

  async close(): Promise<void> {}
}
