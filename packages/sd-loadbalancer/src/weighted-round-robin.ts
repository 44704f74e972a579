import type { Endpointer, Instance, ReadyOptions } from '@praetor/sdk';
import { endpointerReady } from './internal/ready.js';
import { NoEndpointsError, type Balancer } from './balancer.js';

/**
 * The weight Consul gives an instance: `weights.passing` when its checks pass,
 * `weights.warning` when the worst is a warning, 0 when critical. Negative, NaN or infinite
 * weights count as 0.
 */
export function instanceWeight(instance: Instance): number {
  const w = instance.status === 'passing' ? instance.weights.passing : instance.status === 'warning' ? instance.weights.warning : 0;
  return Number.isFinite(w) && w > 0 ? w : 0;
}

interface Slot {
  current: number;
  /** The re-plan in which this instance was last seen; slots not seen are dropped. */
  seen: number;
}

/**
 * Weighted round robin that honours Consul `Weights` (see instanceWeight), in nginx's
 * "smooth" form: with a steady list the picks repeat in cycles of `sum of weights`, each
 * cycle picking every endpoint exactly `weight` times, interleaved (weights 5,1,1 give
 * a a b a c a a, not a a a a a b c). Ties go to the first instance in key order, so the sequence is
 * deterministic.
 *
 * The running state is kept per instance (key and service ID), so it survives changes to
 * the endpoint list: an instance that stays keeps its place, a new one starts fresh, and a
 * weight change takes effect on the next pick.
 *
 * Errors: NoEndpointsError when the list is empty or every weight is 0; otherwise see Balancer.
 */
export class WeightedRoundRobin<E> implements Balancer<E> {
  private readonly slots = new Map<string, Slot>();
  private picks = 0;
  /** The entries array the plan below was built from (endpointers share it until a change). */
  private planFor: unknown = null;
  private plan: Array<{ slot: Slot; weight: number; endpoint: E }> = [];
  private total = 0;

  constructor(private readonly endpointer: Endpointer<E>) {}

  /** Resolves once the endpointer has its first set from discovery (see Endpointer.ready). */
  ready(opts?: ReadyOptions): Promise<void> {
    return endpointerReady(this.endpointer, opts);
  }

  endpoint(): E {
    const entries = this.endpointer.entries();
    if (entries.length === 0) throw new NoEndpointsError();
    if (entries !== this.planFor) this.replan(entries);
    if (this.plan.length === 0) throw new NoEndpointsError(`no endpoints available: all ${entries.length} have weight 0`);
    let best = this.plan[0];
    for (const p of this.plan) {
      p.slot.current += p.weight;
      if (p.slot.current > best.slot.current) best = p;
    }
    best.slot.current -= this.total;
    return best.endpoint;
  }

  /** Rebuilds the weighted list after the endpoints changed, keeping surviving instances' state. */
  private replan(entries: ReturnType<Endpointer<E>['entries']>): void {
    const pick = ++this.picks;
    this.plan = [];
    this.total = 0;
    for (const { instance, endpoint } of entries) {
      const weight = instanceWeight(instance);
      if (weight === 0) continue;
      const key = `${instance.key}\u0000${instance.id}`;
      let slot = this.slots.get(key);
      if (!slot) this.slots.set(key, (slot = { current: 0, seen: pick }));
      slot.seen = pick;
      this.plan.push({ slot, weight, endpoint });
      this.total += weight;
    }
    for (const [k, s] of this.slots) if (s.seen !== pick) this.slots.delete(k);
    this.planFor = entries;
  }
}
