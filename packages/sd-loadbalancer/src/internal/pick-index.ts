/** An index in [0, n) from one draw of `rng` (clamped, in case an RNG returns 1 or less than 0). */
export function pickIndex(rng: () => number, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.floor(rng() * n)));
}
