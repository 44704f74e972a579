/**
 * Distinct strings kept in order for prefix ranges. Inserts are appended to a pending list and
 * merged in (one sort of the new keys, one linear merge) the next time an ordered read needs
 * them, so a burst of writes of new keys costs no array shifting per write.
 */
export class SortedKeys {
  private keys: string[] = [];
  private pending: string[] = [];
  private readonly members = new Set<string>();

  get size(): number {
    return this.members.size;
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private merge(): void {
    if (this.pending.length === 0) return;
    const add = this.pending.sort();
    this.pending = [];
    const out: string[] = new Array(this.keys.length + add.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.keys.length && j < add.length) out[k++] = this.keys[i] < add[j] ? this.keys[i++] : add[j++];
    while (i < this.keys.length) out[k++] = this.keys[i++];
    while (j < add.length) out[k++] = add[j++];
    this.keys = out;
  }

  insert(key: string): void {
    if (this.members.has(key)) return;
    this.members.add(key);
    this.pending.push(key);
  }

  delete(key: string): void {
    if (!this.members.delete(key)) return;
    this.merge();
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Keys that start with `prefix`, in order. */
  *withPrefix(prefix: string): Generator<string> {
    this.merge();
    for (let i = this.lowerBound(prefix); i < this.keys.length; i++) {
      const k = this.keys[i];
      if (!k.startsWith(prefix)) return;
      yield k;
    }
  }
}
