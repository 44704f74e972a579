/** Errors of the SDK's Consul backend, each with a stable code. */
export class ConsulError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The agent answered that it does not know a check (it restarted, or the registration was lost). */
export class UnknownCheckError extends ConsulError {
  constructor(checkID: string, detail: string) {
    super('PRAETOR_ERR_UNKNOWN_CHECK', `the agent does not know check ${JSON.stringify(checkID)}: ${detail}`, 404);
  }
}

/** A request failed on every server address. */
export class UnreachableError extends ConsulError {
  constructor(detail: string) {
    super('PRAETOR_ERR_UNREACHABLE', `no registry server answered: ${detail}`);
  }
}

/** The server answered with an error status. */
export class ResponseError extends ConsulError {
  constructor(status: number, method: string, path: string, body: string) {
    super('PRAETOR_ERR_RESPONSE', `${method} ${path}: ${status} ${body.trim() || '(no message)'}`, status);
  }
}

/** A registration that cannot be sent (caught before any request). */
export class InvalidRegistrationError extends ConsulError {
  constructor(message: string) {
    super('PRAETOR_ERR_INVALID_REGISTRATION', message);
  }
}

/** A lock request named a session the server does not have (destroyed, expired, or never made). */
export class InvalidSessionError extends ConsulError {
  constructor(
    readonly session: string,
    detail: string,
  ) {
    super('PRAETOR_ERR_INVALID_SESSION', `session ${session} does not exist: ${detail.trim()}`, 500);
  }
}

/** The key exists with flags other than a lock's: something else uses it (the Go api's ErrLockConflict). */
export class LockConflictError extends ConsulError {
  constructor(key: string, flags: bigint) {
    super('PRAETOR_ERR_LOCK_CONFLICT', `Existing key does not match lock use: ${JSON.stringify(key)} has flags ${flags}`);
  }
}

/** acquire() while the lock is held, or while another acquire() on it waits. */
export class LockHeldError extends ConsulError {
  constructor(key: string, what: string) {
    super('PRAETOR_ERR_LOCK_HELD', `Lock already held: ${JSON.stringify(key)} ${what}`);
  }
}

/** acquire() gave up before the lock was held: its signal aborted, its timeout ran out, or release()/destroy() was called. */
export class LockAbortedError extends ConsulError {
  constructor(key: string, why: string) {
    super('PRAETOR_ERR_LOCK_ABORTED', `lock ${JSON.stringify(key)} not acquired: ${why}`);
  }
}

/** Why a held lock stopped being held. */
export type LockLossReason =
  /** release() or destroy() (not a failure). */
  | 'released'
  /** The key's Session is no longer ours, or the key is gone (session invalidated, operator). */
  | 'key-changed'
  /** The server no longer has the session (renew answered 404). */
  | 'session-gone'
  /** No renewal or check got through for a whole TTL: the server may have invalidated the session. */
  | 'unconfirmed';

/** The reason of a hold's signal once it aborts. */
export class LockLostError extends ConsulError {
  constructor(
    key: string,
    readonly reason: LockLossReason,
    detail: string,
  ) {
    super('PRAETOR_ERR_LOCK_LOST', `lock ${JSON.stringify(key)} ${reason === 'released' ? 'released' : 'lost'}: ${detail}`);
  }
}

/** ready() gave up: no good answer from the registry within its timeout, or the watch stopped first. */
export class NotReadyError extends ConsulError {
  constructor(what: string, registry: string | undefined, why: string) {
    super('PRAETOR_ERR_NOT_READY', `${what}: ${why}${registry ? ` (registry ${registry})` : ''}`);
  }
}
