/** How many events an agent keeps, as Consul. */
export const EVENT_RING_SIZE = 256;

/** A bounded ring of the newest items: adding past the capacity drops the oldest. */
export class EventRing<T> {
  private readonly items: T[] = [];
  /** Where the oldest item is once the ring is full. */
  private head = 0;

  constructor(readonly capacity = EVENT_RING_SIZE) {}

  add(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
  }

  /** Oldest first; a copy. */
  toArray(): T[] {
    return [...this.items.slice(this.head), ...this.items.slice(0, this.head)];
  }

  get size(): number {
    return this.items.length;
  }
}
