import { SnapshotError } from '../errors.js';
import { StateStore } from '../state/state-store.js';
import { restoreSnapshot, type Snapshot } from '../state/snapshot.js';

/**
 * The state a snapshot describes, built in a scratch store so that a snapshot that does not
 * load fails here, before anything of the live state is touched.
 */
export function stateFromSnapshot(snap: Snapshot): StateStore {
  const fresh = new StateStore();
  try {
    restoreSnapshot(fresh, snap);
  } catch (err) {
    throw new SnapshotError(`invalid snapshot state: ${(err as Error).message}`);
  }
  return fresh;
}

/** Swaps the live store's state for `fresh` and makes every blocking query answer from it. */
export function installState(store: StateStore, fresh: StateStore): void {
  store.replaceWith(fresh);
  store.watches.abandon();
}
