/**
 * Which cacheable reads this agent has answered with `?cached`, as Consul's agent cache would
 * hold them: the first such read of a request is a MISS, later ones HIT. Praetor answers every
 * read from its own up-to-date store, so there is nothing stale to serve: a hit carries `Age: 0`,
 * as Consul's does while its background refresh is in contact with the servers. Bounded; the
 * oldest request is forgotten first (and is a MISS again, as after Consul's cache TTL).
 */
export class AgentCacheMarks {
  private readonly seen = new Set<string>();

  constructor(private readonly maxEntries = 4096) {}

  /** Records a read of `key`; returns whether it had been read before (a HIT). */
  touch(key: string): boolean {
    const hit = this.seen.delete(key);
    this.seen.add(key);
    if (this.seen.size > this.maxEntries) this.seen.delete(this.seen.values().next().value as string);
    return hit;
  }
}
