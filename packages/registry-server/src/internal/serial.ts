/**
 * Runs tasks one at a time, in call order: each starts once the one before it settled,
 * whether it resolved or threw. Each caller gets its own task's result.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
