import type { ApiClient } from './api-client.js';
import { CliError } from './command.js';
import { createLockSession, renewSession, sleep, type Holder, type HolderOptions } from './lock-session.js';

/** The KV flags Consul's lock puts on a lock key (0x2ddccbc058a50c18), so `consul lock` and `praetor lock` agree. */
export const LOCK_FLAG_VALUE = 0x2ddccbc058a50c18n;

/** Flags as the server answers them; compared as numbers because JSON numbers above 2^53 round. */
function isLockFlag(flags: unknown): boolean {
  return typeof flags === 'number' && flags === Number(LOCK_FLAG_VALUE);
}

interface Entry {
  Session?: string;
  Flags: number;
}

/**
 * Holds a lock the way Consul's lock does: a session with a TTL renewed at half its TTL, a
 * blocking wait until the key is free, `?acquire`, then a blocking watch that reports the lock
 * lost when the key is no longer ours or the session is gone.
 */
export class LockHolder implements Holder {
  private session = '';
  private renewTimer: NodeJS.Timeout | null = null;
  private readonly lost = new AbortController();

  constructor(
    private readonly api: ApiClient,
    private readonly opts: HolderOptions & { key: string },
  ) {}

  /** Aborted when the lock is lost after it was acquired. */
  get lostSignal(): AbortSignal {
    return this.lost.signal;
  }

  /** Waits until the lock is held; returns false if `stop` aborted first. */
  async acquire(stop: AbortSignal): Promise<boolean> {
    this.session = await createLockSession(this.api, this.opts);
    this.renewTimer = renewSession(this.api, () => this.session, this.opts, (why) => this.markLost(why));
    let index = 0;
    while (!stop.aborted) {
      let res;
      try {
        res = await this.api.request('GET', `/v1/kv/${this.opts.key}`, { query: { index: index || undefined, wait: index ? '15s' : undefined }, signal: stop });
      } catch (err) {
        if (stop.aborted) break;
        throw err;
      }
      if (res.status !== 200 && res.status !== 404) throw new CliError(`Lock acquisition failed: Unexpected response code: ${res.status} (${res.body.toString().trim()})`);
      const entry = res.status === 200 ? (JSON.parse(res.body.toString()) as Entry[])[0] : undefined;
      if (entry && !isLockFlag(entry.Flags)) throw new CliError('Lock acquisition failed: Existing key does not match lock use');
      if (entry?.Session && entry.Session !== this.session) {
        index = res.index;
        continue;
      }
      const put = await this.api.ok('PUT', `/v1/kv/${this.opts.key}`, { query: { acquire: this.session, flags: LOCK_FLAG_VALUE.toString() }, body: '' });
      if (put.body.toString().trim() === 'true') {
        void this.monitor();
        return true;
      }
      // Free but refused: the lock-delay of a holder that was invalidated is running.
      await sleep(this.opts.retryMs ?? 1000, stop);
      index = 0;
    }
    return false;
  }

  private async monitor(): Promise<void> {
    let index = 0;
    let failures = 0;
    while (!this.lost.signal.aborted) {
      let res;
      try {
        res = await this.api.request('GET', `/v1/kv/${this.opts.key}`, { query: { index: index || undefined, wait: '15s' }, signal: this.lost.signal });
      } catch {
        res = undefined;
      }
      if (this.lost.signal.aborted) return;
      if (!res || res.status >= 500) {
        if (++failures > this.opts.monitorRetries) return this.markLost('the agent could not be reached');
        await sleep(1000, this.lost.signal);
        continue;
      }
      failures = 0;
      const entry = res.status === 200 ? (JSON.parse(res.body.toString()) as Entry[])[0] : undefined;
      if (entry?.Session !== this.session) return this.markLost('the key is no longer held by this session');
      index = res.index;
    }
  }

  private markLost(why: string): void {
    if (this.lost.signal.aborted) return;
    this.opts.warn?.(`Lock lost: ${why}`);
    this.lost.abort(new Error(why));
  }

  /** Releases the lock (if held) and destroys the session; errors are reported, not thrown. */
  async close(): Promise<void> {
    if (this.renewTimer) clearInterval(this.renewTimer);
    const wasLost = this.lost.signal.aborted;
    this.lost.abort(new Error('released'));
    if (!this.session) return;
    try {
      if (!wasLost) await this.api.request('PUT', `/v1/kv/${this.opts.key}`, { query: { release: this.session, flags: LOCK_FLAG_VALUE.toString() }, body: '' });
      await this.api.request('PUT', `/v1/session/destroy/${this.session}`);
    } catch (err) {
      this.opts.warn?.(`could not release the lock: ${(err as Error).message}`);
    }
  }
}
