import type { Logger } from '../log/logger.js';
import { sleep } from '../internal/backoff.js';
import type { SessionRequest } from '../sd/consul/api-types.js';
import type { SessionClient } from '../sd/consul/client.js';
import { durationMs } from '../sd/consul/registration.js';

/** Why a kept session ended: the server dropped it, or it could not be renewed for a whole TTL. */
export class SessionEndedError extends Error {
  constructor(
    readonly kind: 'gone' | 'unconfirmed' | 'destroyed',
    message: string,
  ) {
    super(message);
    this.name = 'SessionEndedError';
  }
}

/** How soon a failed renewal is tried again (ms), unless half the TTL is sooner. */
export const RENEW_RETRY_MS = 1_000;

/**
 * A session this process created and keeps alive: renewed every TTL/2 (the TTL the server
 * answers with), a failed renewal tried again after a second. `ended` aborts, with a
 * SessionEndedError saying why, once the session must be taken as gone: the server answered a
 * renewal with 404 (destroyed, expired, invalidated by a check), or no renewal got through for
 * a whole TTL (the server may invalidate it from then on). destroy() stops renewing and
 * destroys the session; it is safe to call twice.
 */
export class SessionKeeper {
  private readonly ctl = new AbortController();
  private readonly stopped = new AbortController();
  private destroying: Promise<void> | null = null;

  private constructor(
    private readonly client: SessionClient,
    private readonly log: Logger,
    readonly id: string,
    private ttlMs: number,
  ) {
    void this.renewLoop();
  }

  /** Creates the session (one request; the caller retries) and starts renewing it. */
  static async create(client: SessionClient, log: Logger, req: SessionRequest & { TTL: string }): Promise<SessionKeeper> {
    const id = await client.createSession(req);
    log.debug('session created', { session: id, ttl: req.TTL });
    return new SessionKeeper(client, log.child({ session: id }), id, durationMs(req.TTL));
  }

  /** Aborts once the session is gone; the reason is an Error saying why. */
  get ended(): AbortSignal {
    return this.ctl.signal;
  }

  private async renewLoop(): Promise<void> {
    let lastRenewed = Date.now();
    let waitMs = this.ttlMs / 2;
    for (;;) {
      await sleep(waitMs, this.stopped.signal);
      if (this.stopped.signal.aborted) return;
      try {
        const entry = await this.client.renewSession(this.id);
        if (this.stopped.signal.aborted) return;
        if (!entry) return this.end('gone', 'the server no longer has the session (renew: 404)');
        lastRenewed = Date.now();
        this.ttlMs = durationMs(entry.TTL) || this.ttlMs;
        waitMs = this.ttlMs / 2;
      } catch (err) {
        if (this.stopped.signal.aborted) return;
        const silentMs = Date.now() - lastRenewed;
        if (silentMs >= this.ttlMs) return this.end('unconfirmed', `no renewal got through for ${Math.round(silentMs)} ms (TTL ${this.ttlMs} ms): ${(err as Error).message}`);
        waitMs = Math.min(RENEW_RETRY_MS, this.ttlMs / 2, this.ttlMs - silentMs);
        this.log.warn('session renewal failed; retrying', { error: (err as Error).message, delayMs: Math.round(waitMs) });
      }
    }
  }

  private end(kind: 'gone' | 'unconfirmed', why: string): void {
    this.log.warn('session ended', { reason: why });
    this.stopped.abort();
    this.ctl.abort(new SessionEndedError(kind, why));
  }

  /** Stops renewing and destroys the session; rejects if the server could not be told (the TTL then ends it). */
  destroy(): Promise<void> {
    this.destroying ??= (async () => {
      this.stopped.abort();
      if (!this.ctl.signal.aborted) this.ctl.abort(new SessionEndedError('destroyed', 'the session was destroyed by this process'));
      // Also after a 404: destroying a session that is gone is a no-op on the server.
      await this.client.destroySession(this.id);
      this.log.debug('session destroyed');
    })();
    return this.destroying;
  }
}
