import { EventEmitter } from 'node:events';
import { defaultLogger } from '../log/default-logger.js';
import type { Logger } from '../log/logger.js';
import { backoffDelay, sleep, type BackoffOptions } from '../internal/backoff.js';
import { keepAlive } from '../internal/keep-alive.js';
import type { LockClient } from '../sd/consul/client.js';
import type { LockLostError } from '../sd/consul/errors.js';
import { ConsulLock } from './consul-lock.js';
import { LOCK_DEFAULTS, type ConsulLockOptions } from './consul-lock-options.js';
import type { Lock } from './lock.js';

export interface LeaderElectionOptions {
  /** Called when this process becomes leader, with a signal that aborts when it stops being leader. */
  onElected?: (signal: AbortSignal) => void;
  /** Called when leadership ends (the reason is `released` after stop()). */
  onLost?: (reason: LockLostError) => void;
  /** Backoff after a campaign that failed (a conflicting key, a refused request). Default 100 ms doubling up to 10 s. */
  backoff?: BackoffOptions;
}

export type ElectionState = 'idle' | 'campaigning' | 'leader' | 'stopped';

export interface ElectionStatus {
  state: ElectionState;
  /** How many times this process has been elected. */
  elections: number;
  /** Failed campaigns since the last election. */
  retries: number;
  lastError?: string;
}

export interface LeaderElectionEvents {
  elected: [signal: AbortSignal];
  lost: [reason: LockLostError];
}

/**
 * Campaigns for leadership on a Lock until stopped: 'elected' when the lock is acquired (with
 * the hold's signal), 'lost' when the hold ends, then campaigns again. Listeners run on their
 * own tick, never inside start(); a listener that throws is logged and does not stop the
 * election. It never ends on its own: a failed campaign is logged and retried with capped
 * backoff. Like a server, a started election keeps the process up until stop(), which stops
 * campaigning and releases the lock (which destroys its session).
 */
export class LeaderElection extends EventEmitter<LeaderElectionEvents> {
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private st: ElectionStatus = { state: 'idle', elections: 0, retries: 0 };
  private loop: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private letExit: () => void = () => {};

  constructor(
    private readonly lock: Lock,
    logger: Logger = defaultLogger(),
    private readonly opts: LeaderElectionOptions = {},
  ) {
    super();
    this.log = logger.child({ component: 'leader-election' });
    if (opts.onElected) this.on('elected', opts.onElected);
    if (opts.onLost) this.on('lost', opts.onLost);
  }

  /** Starts campaigning (once; later calls do nothing). */
  start(): this {
    if (this.loop || this.abort.signal.aborted) return this;
    this.letExit = keepAlive();
    this.loop = this.campaign();
    return this;
  }

  get isLeader(): boolean {
    return this.st.state === 'leader';
  }

  status(): ElectionStatus {
    return { ...this.st };
  }

  private async campaign(): Promise<void> {
    const signal = this.abort.signal;
    await Promise.resolve();
    while (!signal.aborted) {
      this.st.state = 'campaigning';
      let held: AbortSignal;
      try {
        held = await this.lock.acquire({ signal });
      } catch (err) {
        if (signal.aborted) break;
        const delayMs = backoffDelay(this.st.retries++, { ...LOCK_DEFAULTS.backoff, ...this.opts.backoff });
        this.st.lastError = (err as Error).message;
        this.log.error('campaign failed; campaigning again', { error: (err as Error).message, delayMs: Math.round(delayMs) });
        await sleep(delayMs, signal);
        continue;
      }
      this.st = { state: 'leader', elections: this.st.elections + 1, retries: 0 };
      this.log.info('elected leader');
      this.emitSafely('elected', held);
      if (!held.aborted) await new Promise((resolve) => held.addEventListener('abort', resolve, { once: true }));
      const reason = held.reason as LockLostError;
      this.st.state = signal.aborted ? 'stopped' : 'campaigning';
      if (reason.reason !== 'released') this.st.lastError = reason.message;
      this.log[reason.reason === 'released' ? 'info' : 'warn']('leadership ended', { reason: reason.message });
      this.emitSafely('lost', reason);
    }
  }

  private emitSafely<E extends keyof LeaderElectionEvents>(event: E, ...args: LeaderElectionEvents[E]): void {
    try {
      (this.emit as (e: E, ...a: LeaderElectionEvents[E]) => boolean)(event, ...args);
    } catch (err) {
      this.log.error(`an ${event} listener threw`, { error: (err as Error).message });
    }
  }

  /** Stops campaigning and releases the lock if held ('lost' fires with reason `released`). Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      try {
        await this.lock.release();
      } catch (err) {
        this.log.warn('could not release leadership cleanly', { error: (err as Error).message });
      }
      await this.loop;
      this.letExit();
      this.st.state = 'stopped';
    })();
    return this.stopping;
  }
}

/** Campaigns on a Consul lock key: a ConsulLock plus a LeaderElection, started. */
export function elect(client: LockClient, logger: Logger | undefined, opts: ConsulLockOptions & LeaderElectionOptions): LeaderElection {
  const { onElected, onLost, ...lockOpts } = opts;
  return new LeaderElection(new ConsulLock(client, logger, lockOpts), logger, { onElected, onLost, backoff: opts.backoff }).start();
}
