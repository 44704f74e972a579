import { DEFAULT_READY_TIMEOUT_MS, type ReadyOptions } from '../sd/ready.js';
import { keepAlive } from './keep-alive.js';

/**
 * The moment a watch got its first good answer: `wait()` resolves once `settle()` was called;
 * it rejects with `notReady(why)` after the timeout or when the caller's signal aborts, and
 * with `fail()`'s error when the watch stopped first.
 * While someone waits, the process stays up (the watch's own timers are unref'd).
 */
export class FirstAnswer {
  private done = false;
  private error: Error | null = null;
  private readonly waiters = new Set<{ resolve: () => void; reject: (e: Error) => void }>();

  settle(): void {
    if (this.done) return;
    this.done = true;
    for (const w of this.waiters) w.resolve();
    this.waiters.clear();
  }

  fail(error: Error): void {
    if (this.done) return;
    this.error = error;
    for (const w of this.waiters) w.reject(error);
    this.waiters.clear();
  }

  wait(opts: ReadyOptions, notReady: (why: string) => Error): Promise<void> {
    if (this.done) return Promise.resolve();
    if (this.error) return Promise.reject(this.error);
    const aborted = () => notReady(`no answer yet when the wait was aborted (${(opts.signal!.reason as Error)?.message ?? opts.signal!.reason})`);
    if (opts.signal?.aborted) return Promise.reject(aborted());
    const ms = opts.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    return new Promise<void>((resolve, reject) => {
      const letExit = keepAlive();
      const end = () => {
        clearTimeout(timer);
        letExit();
        opts.signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(waiter);
      };
      const waiter = {
        resolve: () => (end(), resolve()),
        reject: (e: Error) => (end(), reject(e)),
      };
      const onAbort = () => waiter.reject(aborted());
      const timer = setTimeout(() => waiter.reject(notReady(`no answer within ${ms} ms`)), ms);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }
}
