import type { BackoffOptions } from '../internal/backoff.js';

export interface ConsulLockOptions {
  /** The KV key that is the lock. */
  key: string;
  /** Written to the key while held (who holds it: an address, a name). */
  value?: Buffer | string;
  /**
   * A session to lock with, which the caller keeps alive and destroys. Without one, each
   * acquire() creates a session (TTL, renewed every TTL/2; lock-delay; behavior release; bound
   * to the node's serfHealth) and release() destroys it.
   */
  session?: string;
  /** The Name of the sessions the lock creates; default `Praetor SDK Lock`. */
  sessionName?: string;
  /** The session's TTL; with `session` given, say its TTL here. Default 15s. */
  sessionTtl?: string;
  /** How long the key stays unacquirable after the session is invalidated. Default 15s. */
  lockDelay?: string;
  /** How long one blocking read of the key may wait on the server (ms). Default 15 s. */
  waitMs?: number;
  /** The pause after an acquire the server refused while the key was free (a lock-delay) (ms). Default 5 s. */
  retryMs?: number;
  /** Backoff between failed requests. Default 100 ms doubling up to 10 s. */
  backoff?: BackoffOptions;
  /**
   * Failed requests in a row that acquire() retries before it rejects with the last error
   * (0: the first failure). Default: it retries until its signal or timeout (a service that
   * waits for its registry); a command line tool that should say "the agent is down" sets 0.
   */
  acquireRetries?: number;
  /**
   * Failed reads of a held lock in a row tolerated before the lock counts as lost
   * (`unconfirmed`), as Consul's MonitorRetries. Default: none counted; the hold is lost once
   * nothing was confirmed for a whole session TTL.
   */
  monitorRetries?: number;
}

export const LOCK_DEFAULTS = {
  sessionName: 'Praetor SDK Lock',
  sessionTtl: '15s',
  lockDelay: '15s',
  waitMs: 15_000,
  retryMs: 5_000,
  backoff: { initialMs: 100, maxMs: 10_000 },
} as const;

export type LockState = 'idle' | 'acquiring' | 'held' | 'lost' | 'destroyed';

export interface LockStatus {
  state: LockState;
  /** The session the lock is held, or being acquired, with. */
  session?: string;
  /** While acquiring: the session that holds the key. */
  holder?: string;
  /** Failed requests since the last one that worked. */
  retries: number;
  lastError?: string;
}
