import { parseDuration } from '../internal/duration.js';

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
