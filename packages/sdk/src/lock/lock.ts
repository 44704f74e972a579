import { LockHeldError, LockLostError } from '../sd/consul/errors.js';

export interface AcquireOptions {
  /** Gives up waiting when this aborts (acquire() rejects with a LockAbortedError). */
  signal?: AbortSignal;
  /** Gives up waiting after this long (ms). */
  timeoutMs?: number;
}

/**
 * A mutual-exclusion lock shared between processes.
 *
 * acquire() resolves once the lock is held, with a signal that aborts when the hold ends; the
 * signal's reason is a LockLostError saying why (`released` after release(), anything else is
 * a loss the holder did not ask for). A holder must stop the guarded work when it aborts: a
 * lock that depends on health checks favours liveness over safety and can be lost at any time.
 * acquire() while held or while another acquire() waits rejects with LockHeldError.
 * release() gives the lock up (or stops a waiting acquire()); it is safe to call when not held.
 * destroy() releases and frees everything the lock owns; the lock cannot be used after it.
 * A pending acquire() keeps the process up; a hold does not (release it when done).
 */
export interface Lock {
  acquire(opts?: AcquireOptions): Promise<AbortSignal>;
  release(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A Lock that is always free: acquire() resolves at once (on a later tick), the hold ends only
 * on release(). For tests of code that takes a Lock, and as a reading of the contract.
 */
export class FixedLock implements Lock {
  private hold: AbortController | null = null;

  constructor(readonly key = 'fixed') {}

  async acquire(): Promise<AbortSignal> {
    await Promise.resolve();
    if (this.hold) throw new LockHeldError(this.key, 'is held by this process');
    this.hold = new AbortController();
    return this.hold.signal;
  }

  async release(): Promise<void> {
    this.hold?.abort(new LockLostError(this.key, 'released', 'released by this process'));
    this.hold = null;
  }

  destroy(): Promise<void> {
    return this.release();
  }
}
