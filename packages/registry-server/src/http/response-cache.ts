/**
 * Encoded answers of heavy reads (health/service, catalog/service, KV keys) by request and
 * index: while the index a read depends on has not moved, its answer is byte-for-byte the same,
 * so it is encoded once. Bounded in entries and in characters held; the oldest entry goes first.
 * Emptied whenever the store's state is swapped whole (a restore, or a mirror that listed its
 * state again), since an index may then mean other data: `generation` (the store's
 * `watches.generation`) moves then.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { index: number; body: string }>();
  private held = 0;
  private seen = 0;

  constructor(
    private readonly maxEntries = 1024,
    private readonly maxChars = 32 * 1024 * 1024,
    private readonly generation: () => number = () => 0,
  ) {}

  get(key: string, index: number): string | undefined {
    const g = this.generation();
    if (g !== this.seen) {
      this.clear();
      this.seen = g;
    }
    const e = this.entries.get(key);
    return e && e.index === index ? e.body : undefined;
  }

  set(key: string, index: number, body: string): void {
    if (body.length > this.maxChars / 4) return; // too big to be worth holding
    this.drop(key);
    this.entries.set(key, { index, body });
    this.held += body.length;
    while (this.entries.size > this.maxEntries || this.held > this.maxChars) this.drop(this.entries.keys().next().value as string);
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
    this.held = 0;
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.held -= e.body.length;
  }

  get size(): { entries: number; chars: number } {
    return { entries: this.entries.size, chars: this.held };
  }
}

const IGNORED = new Set(['index', 'wait', 'stale', 'consistent', 'dc', 'token', 'cached']);

/**
 * The cache key of a request: its path and the parameters that shape the answer. Names and
 * values are percent-encoded, so one holding NUL or `=` cannot pass for two parameters (a
 * `?tag=v1%00passing=` must not fill the entry of `?tag=v1&passing`).
 */
export function cacheKey(path: string, query: URLSearchParams, pretty: boolean): string {
  let key = `${pretty ? 'P' : 'C'}${path}`;
  for (const [k, v] of query) if (!IGNORED.has(k)) key += `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`;
  return key;
}
