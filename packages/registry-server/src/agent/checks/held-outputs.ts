import type { CheckResult } from './check-runner.js';

/**
 * Consul's check_update_interval: a result that changes only a check's output is held back, and
 * written between half and one and a half intervals later (a random point, so many checks do
 * not write at once); later output changes replace the held one without moving that time. A
 * result that changes the status is written at once and drops what was held. Output changes of
 * steady checks (timestamps, counters) then cost one write per interval, not one per run.
 */
export class HeldOutputs {
  private readonly held = new Map<string, { result: CheckResult; timer: NodeJS.Timeout }>();

  constructor(
    /** The interval (ms); 0 or less holds nothing back. */
    private readonly intervalMs: () => number,
    /** Writes a held result when its time comes. */
    private readonly flush: (checkID: string, result: CheckResult) => void,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Whether `result` is to be held rather than written: when the interval is on and the stored
   * check (`stored`) has the same status. A result that is not held drops what was held.
   */
  hold(checkID: string, stored: { Status: string }, result: CheckResult): boolean {
    const interval = this.intervalMs();
    if (!(interval > 0) || stored.Status !== result.status) {
      this.drop(checkID);
      return false;
    }
    const cur = this.held.get(checkID);
    if (cur) {
      cur.result = result;
      return true;
    }
    const timer = setTimeout(() => {
      const h = this.held.get(checkID);
      this.held.delete(checkID);
      if (h) this.flush(checkID, h.result);
    }, interval / 2 + this.random() * interval);
    timer.unref();
    this.held.set(checkID, { result, timer });
    return true;
  }

  /** The output held back for a check, if any: what the agent's own endpoints show. */
  output(checkID: string): string | undefined {
    return this.held.get(checkID)?.result.output;
  }

  /** Forgets what is held for a check (written meanwhile, or gone). */
  drop(checkID: string): void {
    const h = this.held.get(checkID);
    if (!h) return;
    clearTimeout(h.timer);
    this.held.delete(checkID);
  }

  /** Forgets everything held (the agent stops). */
  clear(): void {
    for (const id of [...this.held.keys()]) this.drop(id);
  }
}
