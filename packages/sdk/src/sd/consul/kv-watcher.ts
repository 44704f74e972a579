import fs from 'node:fs/promises';
import path from 'node:path';
import { defaultLogger } from '../../log/default-logger.js';
import type { Logger } from '../../log/logger.js';
import { FirstAnswer } from '../../internal/first-answer.js';
import type { BackoffOptions } from '../../internal/backoff.js';
import { blockingLoop } from '../../internal/blocking-loop.js';
import type { ReadyOptions } from '../ready.js';
import type { KvPair } from './api-types.js';
import type { DiscoveryClient } from './client.js';
import { NotReadyError } from './errors.js';
import { DEFAULT_WAIT_MS } from './instancer.js';

export interface KvWatcherOptions {
  /** A key, or a prefix with `recurse`. */
  key: string;
  /** Watch every key under `key` as a prefix (`?recurse`), not the one key. */
  recurse?: boolean;
  /** How long each blocking query may wait on the server (ms); default 60 s. */
  waitMs?: number;
  /** Backoff between failed reads; default 10 ms doubling up to 1 min, jittered. */
  backoff?: BackoffOptions;
  /** At most this many reads a second, with bursts of `burst`; default 10 a second, burst 2. */
  rateLimit?: { perSecond: number; burst: number };
}

/** The watched keys and their values (raw bytes; null for an empty value). */
export interface KvSnapshot {
  entries: Map<string, Buffer | null>;
  index: number;
}

export type KvListener = (snapshot: KvSnapshot) => void;

/**
 * Keeps the values under a KV key or prefix up to date with blocking queries. Listeners get
 * the whole current set after each change (never from inside register()); errors back off and
 * retry forever, keeping the last good set. The loop follows the rules of every SDK blocking
 * loop (rate limited; an index of 0 or none is not trusted and backs off; an index that went
 * backwards starts over). stop() aborts the request in flight.
 */
export class KvWatcher {
  private readonly abort = new AbortController();
  private snapshot: KvSnapshot | null = null;
  private readonly listeners = new Set<KvListener>();
  private readonly log: Logger;
  private readonly first = new FirstAnswer();
  private lastError: string | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly client: DiscoveryClient,
    logger: Logger = defaultLogger(),
    private readonly opts: KvWatcherOptions,
  ) {
    this.log = logger.child({ component: 'kv-watcher', key: opts.key });
    this.done = this.loop();
  }

  private loop(): Promise<void> {
    return blockingLoop<KvPair[] | null>(
      {
        read: (index, signal) => this.client.kv(this.opts.key, { index, waitMs: this.opts.waitMs ?? DEFAULT_WAIT_MS, recurse: this.opts.recurse, signal }),
        onValue: (pairs, index) => {
          this.lastError = undefined;
          const entries = new Map<string, Buffer | null>();
          for (const p of pairs ?? []) entries.set(p.Key, p.Value === null ? null : Buffer.from(p.Value, 'base64'));
          if (!this.snapshot || !sameEntries(this.snapshot.entries, entries)) {
            this.snapshot = { entries, index };
            for (const l of this.listeners) this.send(l);
          }
          this.first.settle();
        },
        onError: (err, failures, delayMs) => {
          this.lastError = err.message;
          this.log.warn('KV watch failed; retrying', { error: err.message, failures, delayMs: Math.round(delayMs) });
        },
      },
      { signal: this.abort.signal, rateLimit: this.opts.rateLimit, backoff: this.opts.backoff },
    );
  }

  private send(l: KvListener): void {
    const s = this.snapshot!;
    queueMicrotask(() => {
      if (this.listeners.has(l)) l({ entries: new Map(s.entries), index: s.index });
    });
  }

  register(listener: KvListener): void {
    this.listeners.add(listener);
    if (this.snapshot) this.send(listener);
  }

  deregister(listener: KvListener): void {
    this.listeners.delete(listener);
  }

  /** The current values, or null before the first answer. */
  current(): KvSnapshot | null {
    return this.snapshot ? { entries: new Map(this.snapshot.entries), index: this.snapshot.index } : null;
  }

  /**
   * Resolves once the first answer is in (a missing key is an answer: an empty snapshot), so
   * current() is not null. Rejects with a NotReadyError naming the key, the registry and the
   * last error after `timeoutMs` (default 10 s), or when stop() came first.
   */
  ready(opts: ReadyOptions = {}): Promise<void> {
    return this.first.wait(opts, (why) => this.notReady(`${why}${this.lastError ? `; last error: ${this.lastError}` : ''}`));
  }

  private notReady(why: string): NotReadyError {
    return new NotReadyError(`KV ${this.opts.recurse ? 'prefix' : 'key'} ${JSON.stringify(this.opts.key)}`, this.client.address, why);
  }

  /** Stops watching and waits for the loop to end; safe to call twice. */
  async stop(): Promise<void> {
    this.first.fail(this.notReady('the watcher was stopped before its first answer'));
    this.abort.abort();
    await this.done;
  }
}

function sameEntries(a: Map<string, Buffer | null>, b: Map<string, Buffer | null>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!b.has(k) || (v === null ? w !== null : w === null || w === undefined || !v.equals(w))) return false;
  }
  return true;
}

/**
 * Keeps a local file equal to one KV value (a JSON or CSV config kept in KV): written atomically
 * (temporary file, then rename) on every change; removed when the key is deleted.
 */
export function syncKeyToFile(watcher: KvWatcher, key: string, file: string, logger: Logger): () => void {
  const listener: KvListener = (s) => {
    const value = s.entries.get(key);
    const write = async () => {
      if (value === undefined) {
        await fs.rm(file, { force: true });
        return;
      }
      const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
      await fs.writeFile(tmp, value ?? Buffer.alloc(0));
      await fs.rename(tmp, file);
    };
    write().catch((err) => logger.error('could not write the config file', { file, error: (err as Error).message }));
  };
  watcher.register(listener);
  return () => watcher.deregister(listener);
}

/** Keeps a parsed object in step with one KV value; `get()` returns the last good parse. */
export function watchParsed<T>(watcher: KvWatcher, key: string, parse: (text: string) => T, logger: Logger): { get(): T | undefined; stop(): void } {
  let value: T | undefined;
  const listener: KvListener = (s) => {
    const raw = s.entries.get(key);
    if (raw === undefined) return;
    try {
      value = parse((raw ?? Buffer.alloc(0)).toString('utf8'));
    } catch (err) {
      logger.warn('config in KV does not parse; keeping the last good one', { key, error: (err as Error).message });
    }
  };
  watcher.register(listener);
  return { get: () => value, stop: () => watcher.deregister(listener) };
}
