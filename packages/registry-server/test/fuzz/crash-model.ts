/**
 * What the crash suite knows about its keys: the last acknowledged state of each (value and,
 * once read back, ModifyIndex) and the writes in flight (not acknowledged) after it, any of
 * which a crash may or may not have kept. Each key has one writer, so at most one is in flight.
 */
export interface KeyState {
  /** null: the key is absent. */
  value: string | null;
  index?: number;
}

export type Observed = Map<string, { value: string; index: number }>;

export class CrashModel {
  acked = new Map<string, KeyState>();
  private readonly inFlight = new Map<string, KeyState>();
  /** A restore in flight when the agent died: its state is also an acceptable outcome. */
  restoring: Map<string, KeyState> | undefined;

  begin(key: string, value: string | null): void {
    this.inFlight.set(key, { value });
  }

  /** Acknowledged writes (PUT, txn set, DELETE) in all, for the report. */
  ackedWrites = 0;

  /** The write got its answer: acknowledged (ok) or refused (it did not happen). */
  end(key: string, ok: boolean, index?: number): void {
    const w = this.inFlight.get(key);
    this.inFlight.delete(key);
    if (ok && w) {
      this.ackedWrites++;
      this.acked.set(key, { value: w.value, index: w.value === null ? undefined : index });
    }
  }

  /** The ModifyIndex of an acknowledged value, read back after its write. */
  learned(key: string, value: string, index: number): void {
    const a = this.acked.get(key);
    if (a?.value === value) a.index = index;
  }

  /** The acknowledged state, all indexes known (right after check()), for a snapshot taken now. */
  copy(): Map<string, KeyState> {
    return new Map([...this.acked].map(([k, v]) => [k, { ...v }]));
  }

  /** A restore was acknowledged: its state is now the acknowledged one. */
  restored(state: Map<string, KeyState>): void {
    this.acked = new Map([...state].map(([k, v]) => [k, { ...v }]));
    this.inFlight.clear();
    this.restoring = undefined;
  }

  /**
   * Compares what the restarted agent holds with the model; returns the problems (empty when
   * every acknowledged write is there with its index). Then takes the observed state as the new
   * acknowledged one, so the next iteration starts from what is on disk.
   */
  check(observed: Observed): string[] {
    const problems = this.mismatches(observed);
    if (problems.length > 0 && this.restoring && exactly(this.restoring, observed)) problems.length = 0;
    this.acked = new Map([...observed].map(([k, v]) => [k, { ...v }]));
    this.inFlight.clear();
    this.restoring = undefined;
    return problems;
  }

  private mismatches(observed: Observed): string[] {
    const problems: string[] = [];
    for (const key of new Set([...this.acked.keys(), ...this.inFlight.keys(), ...observed.keys()])) {
      const want = this.acked.get(key) ?? { value: null };
      const got = observed.get(key);
      const maybe = this.inFlight.get(key);
      const gotValue = got?.value ?? null;
      if (gotValue === want.value && (want.index === undefined || got?.index === want.index)) continue;
      if (maybe && gotValue === maybe.value && (gotValue === null || got!.index > (want.index ?? 0))) continue;
      problems.push(`${key}: acknowledged ${JSON.stringify(want)}${maybe ? ` (or in flight ${JSON.stringify(maybe)})` : ''}, after restart ${JSON.stringify(got ?? null)}`);
    }
    return problems;
  }
}

function exactly(state: Map<string, KeyState>, observed: Observed): boolean {
  const present = [...state].filter(([, v]) => v.value !== null);
  return present.length === observed.size && present.every(([k, v]) => observed.get(k)?.value === v.value && observed.get(k)?.index === v.index);
}
