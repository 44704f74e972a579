/**
 * Runs tasks one at a time, in call order: each starts once the one before it settled,
 * whether it resolved or threw. Each caller gets its own task's result. The first task waits
 * for `after` to settle.
 */
export class Serial {
  private tail: Promise<unknown>;

  constructor(after: Promise<unknown> = Promise.resolve()) {
    this.tail = after.catch(() => undefined);
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
