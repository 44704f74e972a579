/**
 * Encoded answers of heavy reads (health/service, catalog/service) by request and index: while
 * the index a read depends on has not moved, its answer is byte-for-byte the same, so it is
 * encoded once. Bounded; the oldest entry goes first.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { index: number; body: string }>();

  constructor(private readonly max = 1024) {}

  get(key: string, index: number): string | undefined {
    const e = this.entries.get(key);
    return e && e.index === index ? e.body : undefined;
  }

  set(key: string, index: number, body: string): void {
    this.entries.delete(key);
    this.entries.set(key, { index, body });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}

const IGNORED = new Set(['index', 'wait', 'stale', 'consistent', 'dc', 'token', 'cached']);

/** The cache key of a request: its path and the parameters that shape the answer. */
export function cacheKey(path: string, query: URLSearchParams, pretty: boolean): string {
  let key = `${pretty ? 'P' : 'C'}${path}`;
  for (const [k, v] of query) if (!IGNORED.has(k)) key += `\u0000${k}=${v}`;
  return key;
}
