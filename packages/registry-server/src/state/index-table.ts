/**
 * The last revision at which each watch key changed: tables (`nodes`, `services`, `checks`,
 * `kv`) and finer keys (`service:<name>`, `node:<name>`). Keys are never removed, so the index
 * of a service that went away stays where its last instance left it and never goes backwards.
 */
export class IndexTable {
  private readonly last = new Map<string, number>();

  get(key: string): number {
    return this.last.get(key) ?? 0;
  }

  bump(key: string, revision: number): void {
    // A key's own index is the KV table's (KvTable.keyIndex): an entry per key here would be
    // read by nothing and outlive the key and its tombstone. Old snapshots still carry them.
    if (key.startsWith('kv:')) return;
    if ((this.last.get(key) ?? 0) < revision) this.last.set(key, revision);
  }

  entries(): IterableIterator<[string, number]> {
    return this.last.entries();
  }
}
