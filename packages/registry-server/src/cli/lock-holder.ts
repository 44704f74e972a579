import { ConsulLock, LockAbortedError, type LockLostError } from '@praetor/sdk/lock';
import type { ApiClient } from './api-client.js';
import { CliError } from './command.js';
import { apiLockClient } from './lock-client.js';
import { warnLogger, type Holder, type HolderOptions } from './lock-session.js';

/**
 * `praetor lock` with -n=1: the SDK's ConsulLock (the one lock implementation, with Consul's
 * lock flags, so `consul lock`, Go programs and SDK services exclude each other) on the CLI's
 * HTTP client, with the CLI's rules: the first failed request ends acquisition with an error
 * (the agent is down), -monitor-retry failed reads in a row (1 s apart) lose a held lock.
 */
export class LockHolder implements Holder {
  private readonly lock: ConsulLock;
  private readonly lost = new AbortController();

  constructor(api: ApiClient, opts: HolderOptions & { key: string }) {
    this.lock = new ConsulLock(apiLockClient(api), warnLogger(opts.warn), {
      key: opts.key,
      sessionName: opts.sessionName,
      sessionTtl: opts.sessionTtl,
      lockDelay: opts.lockDelay,
      retryMs: opts.retryMs ?? 1000,
      acquireRetries: 0,
      monitorRetries: opts.monitorRetries,
      backoff: { initialMs: 1000, maxMs: 1000 },
    });
  }

  get lostSignal(): AbortSignal {
    return this.lost.signal;
  }

  async acquire(stop: AbortSignal): Promise<boolean> {
    let held: AbortSignal;
    try {
      held = await this.lock.acquire({ signal: stop });
    } catch (err) {
      if (err instanceof LockAbortedError) return false;
      throw new CliError(`Lock acquisition failed: ${(err as Error).message}`);
    }
    held.addEventListener('abort', () => this.lost.abort(held.reason as LockLostError), { once: true });
    return true;
  }

  /** Releases the lock (if held) and destroys the session; errors are reported, not thrown. */
  async close(): Promise<void> {
    try {
      await this.lock.release();
    } catch {
      // ConsulLock has warned already; the session's end frees the key.
    }
  }
}
