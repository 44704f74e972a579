import { parseDuration } from '../internal/duration.js';

/** member_timeout's default: a client member without a heartbeat for this long is failed (it heartbeats every third of it). */
export const MEMBER_TIMEOUT_DEFAULT_MS = 6000;

/** The shortest member_timeout accepted (etcd leases count whole seconds, and at least 2). */
export const MEMBER_TIMEOUT_MIN_MS = 1000;

/** A member_timeout value: a Go duration of at least MEMBER_TIMEOUT_MIN_MS. */
export function parseMemberTimeout(text: string): number {
  const ms = parseDuration(text);
  if (ms < MEMBER_TIMEOUT_MIN_MS) throw new Error(`${JSON.stringify(text)} is too short: at least ${MEMBER_TIMEOUT_MIN_MS / 1000}s`);
  return ms;
}

/** reconnect_timeout's default, as Consul's: a failed member is removed after 72h. */
export const RECONNECT_TIMEOUT_DEFAULT_MS = 72 * 3_600_000;

/** Consul's documented minimum for the LAN pool; only -dev agents accept less (for tests). */
export const RECONNECT_TIMEOUT_MIN_MS = 8 * 3_600_000;

/** How long a member that left is remembered (serf's tombstone timeout), unless reconnect_timeout is shorter. */
export const LEFT_MEMBER_TTL_MS = 24 * 3_600_000;

/**
 * The most members (other than the agent itself) an agent keeps. A new member past it is
 * refused, so neither memory nor members.json grows without bound.
 */
export const MAX_MEMBERS = 5000;

/**
 * The most client members (attached by heartbeat) a datacenter records: twice the 5,000 clients
 * it is built for, so failed and left records waiting to be reaped leave room for new ones.
 */
export const MAX_LEASED_MEMBERS = 10_000;

/**
 * The member bound in force: MAX_MEMBERS, or a smaller one that a test asks for through
 * PRAETOR_TEST_MAX_MEMBERS (a positive integer; anything else is ignored).
 */
export function maxMembers(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.PRAETOR_TEST_MAX_MEMBERS);
  return Number.isSafeInteger(n) && n > 0 && n < MAX_MEMBERS ? n : MAX_MEMBERS;
}

/** A reconnect_timeout value: a Go duration, not negative; 0 means the default (as Consul). */
export function parseReconnectTimeout(text: string): number {
  const ms = parseDuration(text);
  if (ms < 0) throw new Error(`${JSON.stringify(text)} must not be negative`);
  return ms === 0 ? RECONNECT_TIMEOUT_DEFAULT_MS : ms;
}
