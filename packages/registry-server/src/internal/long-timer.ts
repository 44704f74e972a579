/** The longest delay Node's setTimeout takes (2^31 - 1 ms, about 24.8 days); past it, it fires after 1 ms. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * One unref'd timer for any delay, however long (a TTL of "1000h" is valid): delays past
 * MAX_TIMEOUT_MS are waited out in steps instead of firing at once. set() replaces what was set.
 */
export class LongTimer {
  private handle: NodeJS.Timeout | undefined;

  set(fn: () => void, ms: number): void {
    this.clear();
    const due = Date.now() + ms;
    const step = () => {
      const left = due - Date.now();
      if (left > MAX_TIMEOUT_MS) this.handle = setTimeout(step, MAX_TIMEOUT_MS).unref();
      else this.handle = setTimeout(() => ((this.handle = undefined), fn()), Math.max(0, left)).unref();
    };
    step();
  }

  clear(): void {
    clearTimeout(this.handle);
    this.handle = undefined;
  }
}
