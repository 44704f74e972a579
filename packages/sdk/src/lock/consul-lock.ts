import { defaultLogger } from '../log/default-logger.js';
import type { Logger } from '../log/logger.js';
import { sleep } from '../internal/backoff.js';
import { blockingLoop } from '../internal/blocking-loop.js';
import { keepAlive } from '../internal/keep-alive.js';
import { TokenBucket } from '../internal/token-bucket.js';
import type { ExactKvPair } from '../sd/consul/api-types.js';
import type { LockClient } from '../sd/consul/client.js';
import {
  InvalidSessionError,
  LockAbortedError,
  LockConflictError,
  LockHeldError,
  LockLostError,
  ResponseError,
  UnreachableError,
  type LockLossReason,
} from '../sd/consul/errors.js';
import { durationMs } from '../sd/consul/registration.js';
import { LOCK_DEFAULTS, type ConsulLockOptions, type LockStatus } from './consul-lock-options.js';
import type { AcquireOptions, Lock } from './lock.js';
import { isLockFlags, LOCK_FLAG_VALUE } from './lock-flags.js';
import { SessionEndedError, SessionKeeper } from './session-keeper.js';

interface Hold {
  ctl: AbortController;
  session: string;
  keeper: SessionKeeper | null;
  monitor: Promise<void>;
}

/** Settles as `p` does, or rejects with the signal's reason as soon as it aborts. */
function unlessAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A Lock on a KV key, as Consul's Go api and `consul lock` take it (same Flags; they exclude
 * each other). acquire() waits with blocking reads of the key while another session holds it,
 * tries ?acquire when it is free, and pauses when the server refuses a free key (lock-delay).
 * While held, a blocking read watches the key: the key losing our session, the session
 * disappearing (renew 404), or no renewal or read getting through for a whole TTL ends the
 * hold, and the signal acquire() returned aborts with a LockLostError. Request failures never
 * end anything on their own: they back off (capped) and retry, logged and in status(). A key
 * that carries other Flags rejects acquire() with LockConflictError.
 */
export class ConsulLock implements Lock {
  private readonly log: Logger;
  private readonly value: Buffer | null;
  private readonly ttlMs: number;
  private readonly bucket = new TokenBucket(10, 2);
  private st: LockStatus = { state: 'idle', retries: 0 };
  /** The session of the acquire() in progress (a hold takes it over). */
  private keeper: SessionKeeper | null = null;
  private attempt: { ctl: AbortController; done: Promise<unknown> } | null = null;
  private hold: Hold | null = null;
  /** Whether the acquire() in progress sent an ?acquire (which may have been granted). */
  private acquireSent = false;
  private destroying: Promise<void> | null = null;

  constructor(
    private readonly client: LockClient,
    logger: Logger = defaultLogger(),
    private readonly opts: ConsulLockOptions,
  ) {
    if (!opts.key) throw new TypeError('ConsulLock: missing key');
    this.ttlMs = durationMs(opts.sessionTtl ?? LOCK_DEFAULTS.sessionTtl);
    if (!(this.ttlMs > 0)) throw new TypeError(`ConsulLock: invalid sessionTtl ${JSON.stringify(opts.sessionTtl)}`);
    this.log = logger.child({ component: 'lock', key: opts.key });
    this.value = opts.value === undefined ? null : Buffer.from(opts.value);
  }

  get key(): string {
    return this.opts.key;
  }

  /** Whether the lock is held right now. */
  get held(): boolean {
    return this.hold !== null;
  }

  status(): LockStatus {
    return { ...this.st };
  }

  acquire(opts: AcquireOptions = {}): Promise<AbortSignal> {
    if (this.st.state === 'destroyed') return Promise.reject(new LockAbortedError(this.key, 'the lock was destroyed'));
    if (this.hold) return Promise.reject(new LockHeldError(this.key, 'is held by this process'));
    if (this.attempt) return Promise.reject(new LockHeldError(this.key, 'is being acquired by this process'));
    const ctl = new AbortController();
    const done = this.run(ctl, opts);
    this.attempt = { ctl, done };
    return done;
  }

  private async run(ctl: AbortController, opts: AcquireOptions): Promise<AbortSignal> {
    const onAbort = () => ctl.abort(new LockAbortedError(this.key, 'the signal aborted'));
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => ctl.abort(new LockAbortedError(this.key, `not held within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    timer?.unref();
    // The caller awaits this: stay up through pauses (a hold, once acquired, does not keep the process up).
    const letExit = keepAlive();
    this.st = { state: 'acquiring', retries: 0 };
    this.acquireSent = false;
    try {
      const session = await this.wait(ctl.signal);
      return this.startHold(session);
    } catch (err) {
      const reason = ctl.signal.aborted ? ctl.signal.reason : err;
      this.st = { ...this.st, state: 'idle', holder: undefined, lastError: (reason as Error).message };
      this.log.info('lock not acquired', { error: (reason as Error).message });
      // An ?acquire may have been granted as we gave up: free the key, then the session.
      await this.letGo(this.acquireSent ? (this.st.session ?? null) : null, this.takeKeeper());
      throw reason;
    } finally {
      letExit();
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      this.attempt = null;
    }
  }

  /** Waits until the key is ours; resolves with the session holding it. */
  private async wait(signal: AbortSignal): Promise<string> {
    let got = null as string | null;
    let refused = false;
    let session = '';
    await blockingLoop<ExactKvPair | null>(
      {
        read: async (index, loopSignal) => {
          session = await this.ensureSession(loopSignal);
          const ended = this.keeper?.ended;
          return this.client.kvPair(this.key, { index, waitMs: this.opts.waitMs ?? LOCK_DEFAULTS.waitMs, signal: ended ? AbortSignal.any([loopSignal, ended]) : loopSignal });
        },
        onValue: async (pair) => {
          this.st.retries = 0;
          if (pair && !isLockFlags(pair.Flags)) throw new LockConflictError(this.key, pair.Flags);
          if (pair?.Session === session) {
            got = session;
            return 'stop';
          }
          if (pair?.Session) {
            // Held by another session: block until the key changes.
            if (this.st.holder !== pair.Session) this.log.debug('lock held by another session; waiting', { holder: pair.Session });
            this.st.holder = pair.Session;
            refused = false;
            return 'continue';
          }
          this.st.holder = undefined;
          if (refused) {
            // Free, yet refused a moment ago: a lock-delay runs. Pause rather than spin.
            const delayMs = this.opts.retryMs ?? LOCK_DEFAULTS.retryMs;
            this.log.debug('lock refused while free (lock-delay); trying again after a pause', { delayMs });
            await sleep(delayMs, signal);
            refused = false;
            return 'restart';
          }
          this.acquireSent = true;
          if (await this.client.kvAcquire(this.key, session, this.value, LOCK_FLAG_VALUE)) {
            got = session;
            return 'stop';
          }
          refused = true;
          return 'restart';
        },
        onError: async (err, failures, delayMs) => {
          if (this.keeper?.ended.aborted) {
            this.log.warn('lock session ended while waiting; creating another', { error: (this.keeper.ended.reason as Error).message });
            await this.letGo(null, this.takeKeeper());
            return 0;
          }
          if (err instanceof InvalidSessionError && !this.opts.session) await this.letGo(null, this.takeKeeper());
          else if (err instanceof LockConflictError || err instanceof InvalidSessionError) throw err;
          else if (err instanceof ResponseError && err.status !== undefined && err.status < 500) throw err;
          if (this.opts.acquireRetries !== undefined && failures > this.opts.acquireRetries) throw err;
          this.st.retries = failures;
          this.st.lastError = err.message;
          this.log.warn(err instanceof UnreachableError ? 'registry unreachable; retrying the lock' : 'lock request failed; retrying', {
            error: err.message,
            retries: failures,
            delayMs: Math.round(delayMs),
          });
        },
      },
      { signal, rateLimit: this.bucket, backoff: { ...LOCK_DEFAULTS.backoff, ...this.opts.backoff } },
    );
    if (got === null) throw signal.reason;
    return got;
  }

  /** The session to acquire with: the caller's, the live one, or a new one. */
  private async ensureSession(signal: AbortSignal): Promise<string> {
    if (this.opts.session) return (this.st.session = this.opts.session);
    if (this.keeper && !this.keeper.ended.aborted) return this.keeper.id;
    if (this.keeper) await this.letGo(null, this.takeKeeper());
    const creating = SessionKeeper.create(this.client, this.log, {
      Name: this.opts.sessionName ?? LOCK_DEFAULTS.sessionName,
      TTL: this.opts.sessionTtl ?? LOCK_DEFAULTS.sessionTtl,
      LockDelay: this.opts.lockDelay ?? LOCK_DEFAULTS.lockDelay,
      Behavior: 'release',
    });
    try {
      this.keeper = await unlessAborted(creating, signal);
    } catch (err) {
      // Given up while the server was answering: destroy the session if it was made anyway.
      if (signal.aborted) creating.then((k) => k.destroy()).catch(() => {});
      throw err;
    }
    this.st.session = this.keeper.id;
    return this.keeper.id;
  }

  private takeKeeper(): SessionKeeper | null {
    const k = this.keeper;
    this.keeper = null;
    return k;
  }

  private startHold(session: string): AbortSignal {
    const hold: Hold = { ctl: new AbortController(), session, keeper: this.takeKeeper(), monitor: Promise.resolve() };
    this.hold = hold;
    this.st = { state: 'held', session, retries: 0 };
    this.log.info('lock acquired', { session });
    hold.monitor = this.monitor(hold);
    return hold.ctl.signal;
  }

  /** Watches a hold until it ends: the key no longer ours, the session gone, or nothing confirmed for a TTL. */
  private async monitor(hold: Hold): Promise<void> {
    const signal = hold.ctl.signal;
    const onEnded = () => {
      const e = hold.keeper!.ended.reason as SessionEndedError;
      void this.lose(hold, e.kind === 'unconfirmed' ? 'unconfirmed' : 'session-gone', e.message);
    };
    hold.keeper?.ended.addEventListener('abort', onEnded, { once: true });
    let lastConfirmed = Date.now();
    try {
      await blockingLoop<ExactKvPair | null>(
        {
          read: (index, loopSignal) => this.client.kvPair(this.key, { index, waitMs: this.opts.waitMs ?? LOCK_DEFAULTS.waitMs, consistent: true, signal: loopSignal }),
          onValue: async (pair) => {
            if (!pair) {
              await this.lose(hold, 'key-changed', 'the key was deleted');
              return 'stop';
            }
            if (pair.Session !== hold.session) {
              const why = pair.Session ? `the key is held by session ${pair.Session}` : 'the key no longer carries our session (invalidated or released)';
              await this.lose(hold, 'key-changed', why);
              return 'stop';
            }
            lastConfirmed = Date.now();
            this.st.retries = 0;
            return 'continue';
          },
          onError: async (err, failures, delayMs) => {
            const silentMs = Date.now() - lastConfirmed;
            if (silentMs >= this.ttlMs) {
              await this.lose(hold, 'unconfirmed', `the key could not be checked for ${silentMs} ms: ${err.message}`);
              return 'stop';
            }
            if (this.opts.monitorRetries !== undefined && failures > this.opts.monitorRetries) {
              await this.lose(hold, 'unconfirmed', `${failures} reads of the key failed in a row: ${err.message}`);
              return 'stop';
            }
            this.st.retries = failures;
            this.st.lastError = err.message;
            const pauseMs = Math.min(delayMs, this.ttlMs - silentMs);
            this.log.warn('could not check the lock; retrying', { error: err.message, delayMs: Math.round(pauseMs) });
            return pauseMs;
          },
        },
        { signal, rateLimit: this.bucket, backoff: { ...LOCK_DEFAULTS.backoff, ...this.opts.backoff } },
      );
    } finally {
      hold.keeper?.ended.removeEventListener('abort', onEnded);
    }
  }

  private async lose(hold: Hold, reason: LockLossReason, detail: string): Promise<void> {
    if (this.hold !== hold) return;
    this.hold = null;
    const err = new LockLostError(this.key, reason, detail);
    this.st = { state: 'lost', session: hold.session, retries: this.st.retries, lastError: err.message };
    this.log.warn('lock lost', { reason, detail, session: hold.session });
    hold.ctl.abort(err);
    await this.letGo(hold.session, hold.keeper);
  }

  /**
   * Frees what a hold or an attempt leaves: ?release with `session` (a no-op unless the key is
   * still ours), then the session if we made it. Returns the release's failure, if any.
   */
  private async letGo(session: string | null, keeper: SessionKeeper | null): Promise<unknown> {
    let failure: unknown;
    if (session) {
      try {
        await this.client.kvRelease(this.key, session, this.value, LOCK_FLAG_VALUE);
      } catch (err) {
        failure = err;
        this.log.warn('could not release the key; the end of the session will', { error: (err as Error).message });
      }
    }
    try {
      await keeper?.destroy();
    } catch (err) {
      this.log.warn('could not destroy the session; its TTL will end it', { session: keeper?.id, error: (err as Error).message });
    }
    return failure;
  }

  /**
   * Gives the lock up: ?release, then destroys the session if this lock made it; the hold's
   * signal aborts (reason `released`). A waiting acquire() stops (rejects). Safe when not held.
   * Rejects if the key could not be released (the local state is idle all the same; the
   * server frees the key once the session ends).
   */
  async release(): Promise<void> {
    const attempt = this.attempt;
    if (attempt) {
      attempt.ctl.abort(new LockAbortedError(this.key, 'release() was called'));
      await attempt.done.catch(() => {});
    }
    const hold = this.hold;
    if (!hold) return;
    this.hold = null;
    hold.ctl.abort(new LockLostError(this.key, 'released', 'released by this process'));
    await hold.monitor;
    const failure = await this.letGo(hold.session, hold.keeper);
    if (this.st.state === 'held') this.st = { state: 'idle', retries: 0, lastError: failure ? (failure as Error).message : undefined };
    this.log.info('lock released', { session: hold.session });
    if (failure) throw failure;
  }

  /**
   * Releases, then deletes the key if it is a free lock key (as `consul lock` cleans up);
   * the lock cannot be acquired again. Safe to call twice.
   */
  destroy(): Promise<void> {
    this.destroying ??= (async () => {
      try {
        await this.release();
      } finally {
        this.st = { ...this.st, state: 'destroyed' };
      }
      const { value: pair } = await this.client.kvPair(this.key);
      if (!pair || !isLockFlags(pair.Flags) || pair.Session) return;
      if (await this.client.kvDeleteCas(this.key, pair.ModifyIndex)) this.log.debug('lock key deleted');
    })();
    return this.destroying;
  }
}

/** Who holds a lock key: its session and value; null when the key is free or absent. */
export async function lockHolder(client: LockClient, key: string): Promise<{ session: string; value: Buffer | null } | null> {
  const { value: pair } = await client.kvPair(key);
  if (!pair?.Session) return null;
  return { session: pair.Session, value: pair.Value === null ? null : Buffer.from(pair.Value, 'base64') };
}
