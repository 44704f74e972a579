import type { Instance } from './instance.js';

/**
 * What an Instancer publishes: always the full current set, sorted by key, never a delta.
 * With `error`, discovery failed: `instances` is then the last good set (possibly empty), so a
 * subscriber may keep serving it ("fail static") or drop it, as it chooses.
 */
export interface InstancerEvent {
  instances: Instance[];
  error?: Error;
}

export type Listener = (event: InstancerEvent) => void;
