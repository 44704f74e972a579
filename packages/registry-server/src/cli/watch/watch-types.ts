import { eventIndex } from '../../events/user-event.js';
import type { ApiClient, ApiResponse, Query } from '../api-client.js';
import { parseJson } from '../go-json.js';
import { kvPath, unexpected, type KvEntryJson } from '../kv-client.js';

/** The parameters given on the command line (only those set). */
export interface WatchParams {
  key?: string;
  prefix?: string;
  service?: string;
  tag?: string[];
  passingonly?: boolean;
  state?: string;
  name?: string;
}

/** One answer of a watched view: its index (a uint64: event indexes are hashes) and its data. */
export interface WatchResult {
  index: bigint;
  value: unknown;
}

/** How to read one watch type; `last` is the index of the previous answer (0 at first). */
export interface WatchQuery {
  fetch(client: ApiClient, last: bigint, signal: AbortSignal): Promise<WatchResult>;
  /** Whether indexes only grow (an index that goes back means the state was reset). */
  monotonic: boolean;
}

/** A watch the command line describes wrongly; the message is Consul's. */
export class WatchParamError extends Error {}

export const WATCH_TYPES = ['key', 'keyprefix', 'services', 'nodes', 'service', 'checks', 'event'] as const;
export type WatchType = (typeof WATCH_TYPES)[number];

/** A KV entry as Consul's watch hands it to a handler (its Go api struct: Session always present). */
function kvPair(e: KvEntryJson): Record<string, unknown> {
  return { Key: e.Key, CreateIndex: e.CreateIndex, ModifyIndex: e.ModifyIndex, LockIndex: e.LockIndex, Flags: e.Flags, Value: e.Value, Session: e.Session ?? '' };
}

function indexOf(res: ApiResponse): bigint {
  const raw = res.headers['x-consul-index'];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (!text || !/^\d+$/.test(text)) throw new Error('the agent answered without an X-Consul-Index header; is it a Praetor or Consul agent?');
  return BigInt(text);
}

/** A blocking GET: 200 is JSON, 404 is `missing`, anything else fails with Consul's text. */
function blockingGet(path: string, query: Query, missing?: unknown): WatchQuery['fetch'] {
  return async (client, last, signal) => {
    const res = await client.request('GET', path, { query: { ...query, index: last > 0n ? last.toString() : undefined }, signal });
    if (res.status === 404 && missing !== undefined) return { index: indexOf(res), value: missing };
    if (res.status !== 200) throw new Error(unexpected(res));
    return { index: indexOf(res), value: parseJson(res.body.toString('utf8')) as unknown };
  };
}

function take<K extends keyof WatchParams>(params: WatchParams, used: Set<string>, k: K): WatchParams[K] {
  used.add(k);
  return params[k];
}

/**
 * The query of a watch type, its parameters checked as Consul checks them: a missing required
 * parameter, one the type does not take, or a bad combination is a WatchParamError.
 */
export function watchQuery(type: string, params: WatchParams): WatchQuery {
  const used = new Set<string>();
  let q: WatchQuery;
  switch (type) {
    case 'key': {
      const key = take(params, used, 'key');
      if (!key) throw new WatchParamError('Must specify a single key to watch');
      const get = blockingGet(kvPath(key), {}, null);
      q = { monotonic: true, fetch: async (c, last, s) => mapValue(await get(c, last, s), (v) => (v === null ? null : kvPair((v as KvEntryJson[])[0]!))) };
      break;
    }
    case 'keyprefix': {
      const prefix = take(params, used, 'prefix');
      if (!prefix) throw new WatchParamError('Must specify a single prefix to watch');
      const get = blockingGet(kvPath(prefix), { recurse: true }, null);
      q = { monotonic: true, fetch: async (c, last, s) => mapValue(await get(c, last, s), (v) => (v === null ? null : (v as KvEntryJson[]).map(kvPair))) };
      break;
    }
    case 'services':
      q = { monotonic: true, fetch: blockingGet('/v1/catalog/services', {}) };
      break;
    case 'nodes':
      q = { monotonic: true, fetch: blockingGet('/v1/catalog/nodes', {}) };
      break;
    case 'service': {
      const service = take(params, used, 'service');
      const tags = take(params, used, 'tag') ?? [];
      const passing = take(params, used, 'passingonly');
      if (!service) throw new WatchParamError('Must specify a single service to watch');
      q = { monotonic: true, fetch: blockingGet(`/v1/health/service/${encodeURIComponent(service)}`, { tag: tags.length ? tags : undefined, passing: passing ? '1' : undefined }) };
      break;
    }
    case 'checks': {
      const service = take(params, used, 'service');
      const state = take(params, used, 'state');
      if (service && state) throw new WatchParamError('Cannot specify service and state');
      const path = service ? `/v1/health/checks/${encodeURIComponent(service)}` : `/v1/health/state/${encodeURIComponent(state || 'any')}`;
      q = { monotonic: true, fetch: blockingGet(path, {}) };
      break;
    }
    case 'event': {
      const name = take(params, used, 'name');
      const get = blockingGet('/v1/event/list', { name: name || undefined });
      // Each answer holds only the events after the one the previous answer ended with.
      q = { monotonic: false, fetch: async (c, last, s) => mapValue(await get(c, last, s), (v) => newEvents(v as Array<{ ID: string }>, last)) };
      break;
    }
    default:
      throw new WatchParamError(`Unsupported watch type: ${type}`);
  }
  const unused = (Object.keys(params) as Array<keyof WatchParams>).filter((k) => params[k] !== undefined && !used.has(k)).sort();
  if (unused.length > 0) throw new WatchParamError(`Invalid parameters: [${unused.join(' ')}]`);
  return q;
}

function mapValue(r: WatchResult, f: (v: unknown) => unknown): WatchResult {
  return { index: r.index, value: f(r.value) };
}

function newEvents(events: Array<{ ID: string }>, last: bigint): unknown[] {
  if (last === 0n) return events;
  const i = events.findIndex((e) => eventIndex(e.ID) === last);
  return i < 0 ? events : events.slice(i + 1);
}
