import { byKey, DefaultEndpointer, FixedInstancer, instance, type EndpointCacheOptions, type Instance } from '@praetor/sdk';
import { within } from '@praetor/test-support';

export { within };

/**
 * Helpers for this package's tests (not part of its API): scripted and seeded RNGs, an
 * endpointer over a FixedInstancer, a quiet logger; bounded polling comes from @praetor/test-support.
 */

/** The logger DefaultEndpointer takes, without a dependency on winston here. */
type Log = ConstructorParameters<typeof DefaultEndpointer>[2];

export const silentLogger = (): Log => {
  const noop = (): void => {};
  return { debug: noop, info: noop, warn: noop, error: noop } as unknown as Log;
};

/** An RNG that returns `values` in order, then draws from `then` (or fails the test if there is none). */
export function scripted(values: number[], then?: () => number): () => number {
  let i = 0;
  return () => {
    if (i < values.length) return values[i++]!;
    if (then) return then();
    throw new Error(`scripted RNG exhausted after ${values.length} draws`);
  };
}

/** A seeded RNG (mulberry32), so "random" sequences are the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Instances from keys or full instances (a key means a passing instance of weight 1). */
export const instances = (...list: (string | Instance)[]): Instance[] => list.map((x) => (typeof x === 'string' ? instance(x) : x));

/** Endpoints named by their instance key, followed through a FixedInstancer and a DefaultEndpointer. */
export interface Discovered {
  instancer: FixedInstancer;
  endpointer: DefaultEndpointer<string>;
  /** Publishes a new list and waits until the endpointer serves it. */
  set(...list: (string | Instance)[]): Promise<void>;
}

export async function discovered(list: (string | Instance)[], opts: EndpointCacheOptions = {}): Promise<Discovered> {
  const instancer = new FixedInstancer(instances(...list));
  const endpointer = new DefaultEndpointer<string>(instancer, (i) => ({ endpoint: i.key }), silentLogger(), opts);
  const d: Discovered = {
    instancer,
    endpointer,
    async set(...next) {
      const want = JSON.stringify(instances(...next).sort(byKey));
      instancer.set(instances(...next));
      await within(100, () => JSON.stringify(endpointer.entries().map((e) => e.instance)) === want, `instances ${want}`);
    },
  };
  await within(100, () => endpointer.endpoints().length === list.length, 'first endpoints');
  return d;
}

/** `n` picks of a balancer, as one string of endpoint names ('a:1' → 'a'), for sequence tables. */
export function picks(balancer: { endpoint(): string }, n: number): string {
  return Array.from({ length: n }, () => balancer.endpoint().split(':')[0]).join(' ');
}
