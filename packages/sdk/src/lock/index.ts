// Public API of @praetor/sdk/lock: the lock, the session keeper and the lock flags alone, without
// the rest of the SDK (no axios, inversify or opossum), for tools such as the \`praetor lock\` CLI.
export { FixedLock, type Lock, type AcquireOptions } from './lock.js';
export { ConsulLock, lockHolder } from './consul-lock.js';
export { LOCK_DEFAULTS, type ConsulLockOptions, type LockState, type LockStatus } from './consul-lock-options.js';
export { LOCK_FLAG_VALUE, isLockFlags } from './lock-flags.js';
export { SessionKeeper, SessionEndedError } from './session-keeper.js';
export type { LockClient, SessionClient } from '../sd/consul/client.js';
export type { ExactKvPair, QueryResponse, SessionEntry, SessionRequest, BlockingOptions } from '../sd/consul/api-types.js';
export { ResponseError, InvalidSessionError, LockConflictError, LockHeldError, LockAbortedError, LockLostError, type LockLossReason } from '../sd/consul/errors.js';
export type { Logger, LogFields } from '../log/logger.js';
