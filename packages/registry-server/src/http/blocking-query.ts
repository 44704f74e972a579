import type { StateStore } from '../state/state-store.js';
import type { QueryResult } from '../state/queries/result.js';
import { NO_WATCH, type WatchSet } from '../state/watch-set.js';
import type { ApiRequest } from './api-request.js';
import type { QueryOptions } from './query-params.js';

/**
 * The one blocking-query loop. Runs `query`; with no index (or 0) answers at once. Otherwise,
 * while the result's index has not passed the client's, waits on the watch set the query
 * filled (never polls) until a relevant commit, the wait running out, the client leaving, or
 * the store releasing every waiter (shutdown, or a restore that replaced the state). Returns the
 * last result.
 * `fresh` says when a result answers the client: by default once its index passed the client's;
 * event lists, whose index is a hash rather than a revision, answer once it differs.
 */
export function blockingQuery<T>(
  store: StateStore,
  req: ApiRequest,
  opts: QueryOptions,
  query: (store: StateStore, ws: WatchSet) => QueryResult<T>,
  fresh: (res: QueryResult<T>) => boolean = (res) => res.index > opts.minIndex,
): QueryResult<T> | Promise<QueryResult<T>> {
  // No index: answer at once, without collecting a watch set.
  if (opts.minIndex === 0) return query(store, NO_WATCH);
  const { value: res, ws } = store.read(query);
  if (fresh(res)) return res;
  return wait(store, req, opts, query, res, ws, fresh);
}

async function wait<T>(
  store: StateStore,
  req: ApiRequest,
  opts: QueryOptions,
  query: (store: StateStore, ws: WatchSet) => QueryResult<T>,
  res: QueryResult<T>,
  ws: WatchSet,
  fresh: (res: QueryResult<T>) => boolean,
): Promise<QueryResult<T>> {
  const deadline = Date.now() + opts.waitMs;
  const generation = store.watches.generation;
  while (!req.closed && !store.watches.closed && store.watches.generation === generation) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, remaining);
      const cancelWatch = store.watches.wait(ws, done);
      const cancelClose = req.onClose(done);
      function done() {
        clearTimeout(timer);
        cancelWatch();
        cancelClose();
        resolve();
      }
    });
    // Woken by a durable write; later ones may not be on disk yet. The first run saw every
    // write acknowledged before the request: what woke it is newer still.
    const durable = store.readable('stale');
    if (durable) await durable;
    ({ value: res, ws } = store.read(query));
    if (fresh(res)) break;
  }
  return res;
}
