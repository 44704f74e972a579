import { SessionKeeper, type Logger, type LogFields } from '@praetor/sdk/lock';
import type { ApiClient } from './api-client.js';
import { apiLockClient } from './lock-client.js';

/** What `praetor lock` holds, a lock or a semaphore slot. */
export interface Holder {
  /** Waits until held; false when `stop` aborted first. */
  acquire(stop: AbortSignal): Promise<boolean>;
  /** Releases and destroys the session; never throws. */
  close(): Promise<void>;
  /** Aborted when what was held is lost (or released). */
  readonly lostSignal: AbortSignal;
}

export interface HolderOptions {
  sessionName: string;
  /** Session TTL, a Go duration (Consul's lock uses 15s). */
  sessionTtl: string;
  /** Session lock-delay; undefined leaves the server default (15s). */
  lockDelay?: string;
  /** Server errors tolerated in a row while watching before the lock counts as lost. */
  monitorRetries: number;
  /** Pause before trying again after an acquire the server refused (lock-delay). */
  retryMs?: number;
  /** Where warnings go (the CLI prints them on stderr). */
  warn?: (message: string) => void;
}

/** The SDK's Logger for the CLI: warnings and errors as one line each through `warn`, the rest dropped. */
export function warnLogger(warn?: (message: string) => void): Logger {
  const line = (message: string, fields?: LogFields) => {
    const why = fields?.error ?? fields?.detail ?? fields?.reason;
    warn?.(why === undefined ? message : `${message}: ${String(why)}`);
  };
  const logger: Logger = { debug: () => {}, info: () => {}, warn: line, error: line, child: () => logger };
  return logger;
}

/**
 * The semaphore's session, kept by the SDK's SessionKeeper (created, renewed every TTL/2, gone
 * on a renew 404), and the blocking watch that reports the slot lost.
 */
export abstract class SessionHolder implements Holder {
  private keeper: SessionKeeper | null = null;
  protected readonly lost = new AbortController();

  constructor(
    protected readonly api: ApiClient,
    protected readonly opts: HolderOptions,
  ) {}

  abstract acquire(stop: AbortSignal): Promise<boolean>;
  abstract close(): Promise<void>;

  get lostSignal(): AbortSignal {
    return this.lost.signal;
  }

  /** The session's ID ('' before openSession()). */
  protected get session(): string {
    return this.keeper?.id ?? '';
  }

  /** Creates the session and keeps it alive; the session ending loses the hold. */
  protected async openSession(): Promise<void> {
    const req = { Name: this.opts.sessionName, TTL: this.opts.sessionTtl, Behavior: 'release' as const, ...(this.opts.lockDelay !== undefined ? { LockDelay: this.opts.lockDelay } : {}) };
    const keeper = await SessionKeeper.create(apiLockClient(this.api), warnLogger(this.opts.warn), req);
    this.keeper = keeper;
    keeper.ended.addEventListener('abort', () => this.markLost((keeper.ended.reason as Error).message), { once: true });
  }

  /** Stops the watch; returns whether the hold had been lost before. */
  protected stopHolding(): boolean {
    const wasLost = this.lost.signal.aborted;
    this.lost.abort(new Error('released'));
    return wasLost;
  }

  /** Destroys the session (the server frees what it held); failures are warned about. */
  protected async destroySession(): Promise<void> {
    try {
      await this.keeper?.destroy();
    } catch (err) {
      this.opts.warn?.(`could not destroy the session: ${(err as Error).message}`);
    }
  }

  /**
   * Watches with blocking reads until one shows the hold gone, or reads fail more than
   * -monitor-retry times in a row (1s apart). `read` throws on a failed read.
   */
  protected async watch(read: (index: number, signal: AbortSignal) => Promise<{ index: number; held: boolean; why: string }>): Promise<void> {
    let index = 0;
    let failures = 0;
    while (!this.lost.signal.aborted) {
      let r;
      try {
        r = await read(index, this.lost.signal);
      } catch {
        if (this.lost.signal.aborted) return;
        if (++failures > this.opts.monitorRetries) return this.markLost('the agent could not be reached');
        await sleep(1000, this.lost.signal);
        continue;
      }
      failures = 0;
      if (!r.held) return this.markLost(r.why);
      index = r.index;
    }
  }

  protected markLost(why: string): void {
    if (this.lost.signal.aborted) return;
    this.opts.warn?.(`Lock lost: ${why}`);
    this.lost.abort(new Error(why));
  }
}

export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
