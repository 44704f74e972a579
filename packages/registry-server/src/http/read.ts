import { BadRequestError } from '../errors.js';
import type { Filter } from '../filter/filter.js';
import type { StructType } from '../filter/schema.js';
import type { StateStore } from '../state/state-store.js';
import type { QueryResult } from '../state/queries/result.js';
import type { WatchSet } from '../state/watch-set.js';
import type { Api } from './api.js';
import type { ApiRequest } from './api-request.js';
import { blockingQuery } from './blocking-query.js';
import { checkDatacenter, filterParam, queryOptions } from './query-params.js';
import { encodeJson } from './encode-json.js';
import type { Reply } from './reply.js';
import { cacheKey } from './response-cache.js';

/**
 * The common shape of a read endpoint: check ?dc, parse the query options, run the query as a
 * blocking query, and answer with the view of its value plus the X-Consul-* headers.
 * The dispatcher (server.ts) has waited until every write the store holds is durable.
 * With `cache` (a function giving the read's index without running it), the encoded answer is
 * kept per request and index and reused while the index has not moved; the key holds every
 * parameter that shapes the answer, ?filter included.
 * With `filter` (the shape of the items the view lists), ?filter is compiled before the query
 * runs and handed to the view, which keeps the items that match; the index stays the
 * unfiltered read's, as in Consul. Without it, ?filter is refused.
 * With `agentCached` (the reads Consul's agent cache serves), `?cached` adds X-Cache (and Age on
 * a hit); see AgentCacheMarks.
 */
export function read<T>(
  req: ApiRequest,
  api: Api,
  query: (store: StateStore, ws: WatchSet) => QueryResult<T>,
  view: (value: T, filter?: Filter) => Omit<Reply, 'meta'>,
  options: { cache?: (store: StateStore) => number; filter?: StructType; agentCached?: boolean } = {},
): Reply | Promise<Reply> {
  checkDatacenter(req, api.config.datacenter);
  const opts = queryOptions(req, api.config);
  const filter = filterParam(req, options.filter);
  const pretty = api.config.dev || req.query.has('pretty');
  const key = options.cache ? cacheKey(req.path, req.query, pretty) : '';
  const headers = options.agentCached ? agentCacheHeaders(req, api, opts.consistency) : undefined;
  const withHeaders = (r: Reply): Reply => (headers ? { ...r, headers: { ...r.headers, ...headers } } : r);
  const finish = (res: QueryResult<T>): Reply => withHeaders(answer(res));
  const answer = (res: QueryResult<T>): Reply => {
    const meta = { index: res.index, consistency: opts.consistency };
    if (key) {
      const hit = api.cache.get(key, res.index);
      if (hit !== undefined) return { body: hit, meta };
    }
    const reply = view(res.value, filter) as Reply;
    reply.meta = meta;
    if (key && reply.json !== undefined && (reply.status ?? 200) === 200) {
      reply.body = encodeJson(reply.json, pretty);
      reply.json = undefined;
      api.cache.set(key, res.index, reply.body);
    }
    return reply;
  };
  if (key && opts.minIndex === 0) {
    // The index alone tells whether the encoded answer is still good: skip the query on a hit.
    const index = Math.max(1, options.cache!(api.store));
    const hit = api.cache.get(key, index);
    if (hit !== undefined) return withHeaders({ body: hit, meta: { index, consistency: opts.consistency } });
  }
  const res = blockingQuery(api.store, req, opts, query);
  return res instanceof Promise ? res.then(finish) : finish(res);
}

/** X-Cache (and Age on a hit) for a read with ?cached, which cannot go with ?consistent. */
function agentCacheHeaders(req: ApiRequest, api: Api, consistency: string): Record<string, string> | undefined {
  if (!req.query.has('cached')) return undefined;
  if (consistency === 'consistent') throw new BadRequestError('Cannot specify ?cached with ?consistent, conflicting semantics.');
  return api.agentCache.touch(cacheKey(req.path, req.query, false)) ? { 'X-Cache': 'HIT', Age: '0' } : { 'X-Cache': 'MISS' };
}
