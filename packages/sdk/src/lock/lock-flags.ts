/**
 * The KV Flags a lock key carries, so a key used for something else is never taken for a lock
 * and locks interoperate with Consul's Go api and `consul lock` (api.LockFlagValue). It is a
 * uint64 past 2^53: as a JS number it would round, so it is a bigint here and on the wire.
 */
export const LOCK_FLAG_VALUE = 0x2ddccbc058a50c18n;

/** Whether a key's Flags mark it as a lock (exactly; Praetor and Consul both keep all 64 bits). */
export function isLockFlags(flags: bigint): boolean {
  return flags === LOCK_FLAG_VALUE;
}
