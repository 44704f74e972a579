import type { ApiClient } from './api-client.js';
import { CliError } from './command.js';
import { parseJson } from './go-json.js';
import { SessionHolder, type HolderOptions } from './lock-session.js';

/** The KV flags Consul's semaphore puts on its keys (0xe0f69a2baa414de0). */
export const SEMAPHORE_FLAG_VALUE = 0xe0f69a2baa414de0n;

interface Entry {
  Key: string;
  Session?: string;
  /** A bigint above 2^53 (parseJson keeps uint64 flags exact). */
  Flags: number | bigint;
  Value: string | null;
  ModifyIndex: number;
}

/** The `.lock` key's JSON: the limit every holder agreed on and the sessions holding a slot. */
interface SemaphoreState {
  Limit: number;
  Holders: Record<string, boolean>;
}

const isSemaphoreFlag = (flags: number | bigint) => flags === SEMAPHORE_FLAG_VALUE;

/**
 * Holds one of N slots the way Consul's semaphore does: each contender holds its own key
 * PREFIX/<session> with its session, and PREFIX/.lock lists the holders (updated with CAS). A
 * holder whose contender key is gone or unlocked is pruned by whoever updates `.lock` next.
 */
export class SemaphoreHolder extends SessionHolder {
  private readonly prefix: string;

  constructor(
    api: ApiClient,
    protected override readonly opts: HolderOptions & { prefix: string; limit: number },
  ) {
    super(api, opts);
    this.prefix = `${opts.prefix.replace(/^\/+|\/+$/g, '')}/`;
  }

  private get lockKey(): string {
    return `${this.prefix}.lock`;
  }

  async acquire(stop: AbortSignal): Promise<boolean> {
    await this.openSession();
    const contender = await this.api.ok('PUT', `/v1/kv/${this.prefix}${this.session}`, {
      query: { acquire: this.session, flags: SEMAPHORE_FLAG_VALUE.toString() },
      body: '',
    });
    if (contender.body.toString().trim() !== 'true') throw new CliError('Lock acquisition failed: could not create the contender entry');
    let index = 0;
    while (!stop.aborted) {
      let read;
      try {
        read = await this.read(index, stop);
      } catch (err) {
        if (stop.aborted) break;
        throw err;
      }
      const { state, lockEntry, live } = read;
      if (state.Holders[this.session]) return this.held();
      for (const id of Object.keys(state.Holders)) if (!live.has(id)) delete state.Holders[id];
      if (Object.keys(state.Holders).length >= this.opts.limit) {
        index = read.index;
        continue;
      }
      state.Holders[this.session] = true;
      if (await this.writeState(state, lockEntry?.ModifyIndex ?? 0)) return this.held();
      index = 0;
    }
    return false;
  }

  private held(): true {
    void this.monitor();
    return true;
  }

  /** The prefix's entries: the `.lock` state (checked against our limit) and the sessions holding contender keys. */
  private async read(index: number, signal: AbortSignal): Promise<{ state: SemaphoreState; lockEntry?: Entry; live: Set<string>; index: number }> {
    const res = await this.api.request('GET', `/v1/kv/${this.prefix}`, { query: { recurse: true, index: index || undefined, wait: index ? '15s' : undefined }, signal });
    if (res.status !== 200 && res.status !== 404) throw new CliError(`Lock acquisition failed: Unexpected response code: ${res.status} (${res.body.toString().trim()})`);
    const entries = res.status === 200 ? (parseJson(res.body.toString()) as Entry[]) : [];
    const live = new Set<string>();
    let lockEntry: Entry | undefined;
    for (const e of entries) {
      if (e.Key === this.lockKey) lockEntry = e;
      else if (e.Session && e.Key === `${this.prefix}${e.Session}`) live.add(e.Session);
    }
    let state: SemaphoreState = { Limit: this.opts.limit, Holders: {} };
    if (lockEntry) {
      if (!isSemaphoreFlag(lockEntry.Flags)) throw new CliError('Lock acquisition failed: Existing key does not match semaphore use');
      state = JSON.parse(Buffer.from(lockEntry.Value ?? '', 'base64').toString() || '{"Limit":0,"Holders":{}}') as SemaphoreState;
      if (state.Limit !== this.opts.limit) {
        throw new CliError(`Lock acquisition failed: Semaphore limit conflict (lock: ${state.Limit}, local: ${this.opts.limit})`);
      }
      state.Holders ??= {};
    }
    return { state, lockEntry, live, index: res.index };
  }

  private async writeState(state: SemaphoreState, cas: number, signal?: AbortSignal): Promise<boolean> {
    const res = await this.api.ok('PUT', `/v1/kv/${this.lockKey}`, {
      query: { cas, flags: SEMAPHORE_FLAG_VALUE.toString() },
      body: JSON.stringify(state),
      signal,
    });
    return res.body.toString().trim() === 'true';
  }

  private monitor(): Promise<void> {
    return this.watch(async (index, signal) => {
      const read = await this.read(index, signal);
      return { index: read.index, held: Boolean(read.state.Holders[this.session]), why: 'this session no longer holds a slot' };
    });
  }

  /** Gives the slot back (CAS loop on `.lock`), deletes the contender key and destroys the session. */
  async close(): Promise<void> {
    this.stopHolding();
    if (!this.session) return;
    try {
      for (let attempt = 0; attempt < 10; attempt++) {
        const { state, lockEntry } = await this.read(0, new AbortController().signal);
        if (!lockEntry || !state.Holders[this.session]) break;
        delete state.Holders[this.session];
        if (await this.writeState(state, lockEntry.ModifyIndex)) break;
      }
    } catch (err) {
      // A .lock that is not ours to read (another limit, other flags) holds no slot of ours.
      if (!(err instanceof CliError)) this.opts.warn?.(`could not release the semaphore: ${(err as Error).message}`);
    }
    try {
      await this.api.request('DELETE', `/v1/kv/${this.prefix}${this.session}`);
    } catch (err) {
      this.opts.warn?.(`could not delete the semaphore's contender key: ${(err as Error).message}`);
    }
    await this.destroySession();
  }
}
