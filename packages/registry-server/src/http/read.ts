import type { StateStore } from '../state/state-store.js';
import type { QueryResult } from '../state/queries/result.js';
import type { WatchSet } from '../state/watch-set.js';
import type { Api } from './api.js';
import type { ApiRequest } from './api-request.js';
import { blockingQuery } from './blocking-query.js';
import { checkDatacenter, queryOptions } from './query-params.js';
import type { Reply } from './reply.js';

/**
 * The common shape of a read endpoint: check ?dc, parse the query options, run the query as a
 * blocking query, and answer with the view of its value plus the X-Consul-* headers.
 */
export async function read<T>(
  req: ApiRequest,
  api: Api,
  query: (store: StateStore, ws: WatchSet) => QueryResult<T>,
  view: (value: T) => Omit<Reply, 'meta'>,
): Promise<Reply> {
  checkDatacenter(req, api.config.datacenter);
  const opts = queryOptions(req, api.config);
  const res = await blockingQuery(api.store, req, opts, query);
  return { ...view(res.value), meta: { index: res.index, consistency: opts.consistency } };
}
