/**
 * The KV Flags a lock key carries, so a key used for something else is never taken for a lock
 * and locks interoperate with Consul's Go api and `consul lock` (api.LockFlagValue). It is a
 * uint64 past 2^53: as a JS number it would round, so it is a bigint here and on the wire.
 */
export const LOCK_FLAG_VALUE = 0x2ddccbc058a50c18n;

/**
 * How a server that keeps KV flags as doubles (Praetor up to now) prints LOCK_FLAG_VALUE back:
 * the shortest decimal of the nearest double, 3304740253564472300. Taken as a lock's flags too,
 * so the SDK's locks work there; this one value is the only tolerance.
 */
const LOCK_FLAG_ROUNDED = BigInt(String(Number(LOCK_FLAG_VALUE)));

/** Whether a key's Flags mark it as a lock. */
export function isLockFlags(flags: bigint): boolean {
  return flags === LOCK_FLAG_VALUE || flags === LOCK_FLAG_ROUNDED;
}
