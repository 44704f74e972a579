/**
 * Watch keys and the waiters on them. A read adds the keys it depended on to a WatchSet;
 * a blocking query then waits on the set, and a commit fires only the keys whose index moved.
 *
 * Key families: table keys (`nodes`, `services`, `checks`, `kv`), finer keys
 * (`service:<name>`, `node:<name>`, `kv:<key>`), and KV prefixes (`kvp:<prefix>`), which fire
 * for a change to any key under the prefix. `event` is fired by the agent's user events
 * (events/user-events.ts), which live outside the store.
 */
export const WATCH_LIMIT = 2048;

export class WatchSet {
  readonly keys = new Set<string>();

  /** Adds `key`; past WATCH_LIMIT keys the set falls back to the table-wide `fallback` key. */
  add(key: string, fallback: string): void {
    if (this.keys.size >= WATCH_LIMIT && !this.keys.has(key)) {
      this.keys.add(fallback);
      return;
    }
    this.keys.add(key);
  }
}

/** For reads nobody will wait on: collects nothing. */
class NoWatch extends WatchSet {
  override add(): void {}
}
export const NO_WATCH: WatchSet = new NoWatch();

type Waiter = () => void;

export class WatchHub {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private prefixCount = 0;

  /**
   * Calls `wake` once, on the first commit that fires any key of `ws`.
   * Returns a cancel function; calling it after the wake-up is harmless.
   */
  wait(ws: WatchSet, wake: Waiter): () => void {
    let done = false;
    const keys = [...ws.keys];
    const once: Waiter = () => {
      if (done) return;
      cancel();
      wake();
    };
    const cancel = () => {
      if (done) return;
      done = true;
      for (const k of keys) {
        const set = this.waiters.get(k);
        if (!set) continue;
        set.delete(once);
        if (set.size === 0) {
          this.waiters.delete(k);
          if (k.startsWith('kvp:')) this.prefixCount--;
        }
      }
    };
    for (const k of keys) {
      let set = this.waiters.get(k);
      if (!set) {
        set = new Set();
        this.waiters.set(k, set);
        if (k.startsWith('kvp:')) this.prefixCount++;
      }
      set.add(once);
    }
    return cancel;
  }

  /** Wakes every waiter on any of `keys`, plus `kvp:` waiters on prefixes of changed KV keys. */
  fire(keys: Iterable<string>, kvKeys: Iterable<string> = []): void {
    const woken: Waiter[] = [];
    const collect = (k: string) => {
      const set = this.waiters.get(k);
      if (set) for (const w of set) woken.push(w);
    };
    for (const k of keys) collect(k);
    if (this.prefixCount > 0) {
      for (const key of kvKeys) {
        for (let i = 0; i <= key.length; i++) collect(`kvp:${key.slice(0, i)}`);
      }
    }
    for (const w of woken) w();
  }

  /** Set by close(): blocking queries stop waiting and answer with what they have. */
  closed = false;

  /** Shutdown: releases every waiter, now and later. */
  close(): void {
    this.closed = true;
    this.fireAll();
  }

  /** Bumped by abandon(): a blocking query that sees it move stops waiting and answers. */
  generation = 0;

  /** Restore: the state was replaced, so every blocking query answers now from the new one. */
  abandon(): void {
    this.generation++;
    this.fireAll();
  }

  /** Wakes everyone (shutdown, restore). */
  fireAll(): void {
    const all: Waiter[] = [];
    for (const set of this.waiters.values()) for (const w of set) all.push(w);
    for (const w of all) w();
  }
}
