import type { Logger } from 'winston';
import type { Backend } from '../backend/backend.js';
import { invalidateSessionTx } from '../commands/session-invalidate.js';
import { parseDuration } from '../internal/duration.js';
import type { StateStore } from '../state/state-store.js';
import { WatchSet } from '../state/watch-set.js';
import type { Session } from '../structs/session.js';
import type { LeaderDuty } from './leadership.js';
import type { SessionRenewer } from './session-renewer.js';

/** Consul lets a session live up to twice its TTL before it is invalidated. */
export const SESSION_TTL_MULTIPLIER = 2;

/**
 * The leader's session TTL timers, for a store with one server (embedded). Every session with a TTL gets a timer of TTL × 2, set when
 * the session appears (or when this server starts: timers are not persisted, so every session
 * gets a full term after a restart) and reset by renew(). When one runs out, the session is
 * invalidated: its locks are released or deleted and their lock-delay starts.
 */
export class SessionTimers implements LeaderDuty, SessionRenewer {
  readonly name = 'session TTL timers';
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private cancelWatch: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly store: StateStore,
    private readonly backend: Backend,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.sync();
  }

  stop(): void {
    this.stopped = true;
    this.cancelWatch?.();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Restarts a session's TTL; returns the session, or undefined when it does not exist. */
  renew(id: string): Session | undefined {
    const s = this.store.sessions.get(id);
    if (s?.TTL) this.arm(s);
    return s;
  }

  /** Arms timers for new TTL sessions and drops those of sessions that are gone; then waits for the next change. */
  private sync(): void {
    if (this.stopped || this.store.watches.closed) return;
    for (const [id, t] of this.timers) {
      if (this.store.sessions.get(id)) continue;
      clearTimeout(t);
      this.timers.delete(id);
    }
    for (const s of this.store.sessions.byId.values()) if (s.TTL && !this.timers.has(s.ID)) this.arm(s);
    const ws = new WatchSet();
    ws.add('sessions', 'sessions');
    this.cancelWatch = this.store.watches.wait(ws, () => this.sync());
  }

  private arm(s: Session): void {
    clearTimeout(this.timers.get(s.ID));
    const ms = parseDuration(s.TTL) * SESSION_TTL_MULTIPLIER;
    const timer = setTimeout(() => void this.expire(s.ID), ms);
    timer.unref();
    this.timers.set(s.ID, timer);
  }

  private async expire(id: string): Promise<void> {
    this.timers.delete(id);
    try {
      const ended = await this.backend.submit((tx) => {
        const s = tx.getSession(id);
        if (s) invalidateSessionTx(tx, s);
        return s !== undefined;
      });
      if (ended) this.log.info('session TTL expired; session invalidated', { session: id });
    } catch (err) {
      this.log.error('could not invalidate an expired session; will retry', { session: id, error: (err as Error).message });
      if (!this.stopped) this.timers.set(id, setTimeout(() => void this.expire(id), 1000).unref());
    }
  }
}
