import type { ApiClient } from './api-client.js';
import { CliError } from './command.js';
import { parseJson } from './go-json.js';
import { Holder, sleep, type HolderOptions } from './lock-session.js';

/** The KV flags Consul's lock puts on a lock key (0x2ddccbc058a50c18), so `consul lock` and `praetor lock` agree. */
export const LOCK_FLAG_VALUE = 0x2ddccbc058a50c18n;

function isLockFlag(flags: number | bigint): boolean {
  return flags === LOCK_FLAG_VALUE;
}

interface Entry {
  Session?: string;
  /** A bigint above 2^53 (parseJson keeps uint64 flags exact). */
  Flags: number | bigint;
}

/**
 * Holds a lock the way Consul's lock does: a session with a TTL renewed at half its TTL, a
 * blocking wait until the key is free, `?acquire`, then a blocking watch that reports the lock
 * lost when the key is no longer ours or the session is gone.
 */
export class LockHolder extends Holder {
  constructor(
    api: ApiClient,
    protected override readonly opts: HolderOptions & { key: string },
  ) {
    super(api, opts);
  }

  /** Waits until the lock is held; returns false if `stop` aborted first. */
  async acquire(stop: AbortSignal): Promise<boolean> {
    await this.openSession();
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
      const entry = res.status === 200 ? (parseJson(res.body.toString()) as Entry[])[0] : undefined;
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

  private monitor(): Promise<void> {
    return this.watch(async (index, signal) => {
      const res = await this.api.request('GET', `/v1/kv/${this.opts.key}`, { query: { index: index || undefined, wait: '15s' }, signal });
      if (res.status >= 500) throw new Error(`status ${res.status}`);
      const entry = res.status === 200 ? (parseJson(res.body.toString()) as Entry[])[0] : undefined;
      return { index: res.index, held: entry?.Session === this.session, why: 'the key is no longer held by this session' };
    });
  }

  /** Releases the lock (if held) and destroys the session; errors are reported, not thrown. */
  async close(): Promise<void> {
    const wasLost = this.stopHolding();
    if (!this.session) return;
    try {
      if (!wasLost) await this.api.request('PUT', `/v1/kv/${this.opts.key}`, { query: { release: this.session, flags: LOCK_FLAG_VALUE.toString() }, body: '' });
      await this.api.request('PUT', `/v1/session/destroy/${this.session}`);
    } catch (err) {
      this.opts.warn?.(`could not release the lock: ${(err as Error).message}`);
    }
  }
}
