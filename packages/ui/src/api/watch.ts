import { reportConnection } from './connection.js';
import { ApiError, request, type RequestOptions } from './request.js';

export interface WatchEvent<T> {
  /** The latest answer; kept when a later call fails. */
  data?: T;
  /** Set when the latest call failed (a 404 of a KV key, a 500, ...); cleared by the next answer. */
  error?: ApiError;
}

/** Blocking-query wait the UI asks for; the agent caps it anyway. */
const WAIT = '5m';
/** Retry delays after a failure: doubling from the first to the last, then staying there. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 4000;

/**
 * Follows one read of the API with blocking queries, as Consul clients do: the first call
 * answers at once; each next one sends the last X-Consul-Index and returns only when something
 * changed (or `wait` ran out). No timer polls: the agent wakes the call. An index that went
 * backwards (a restarted agent) starts over from 0. When the agent cannot be reached the
 * connection is reported lost and the call is retried with a capped backoff until it answers.
 * The listener is called after each answer that changed the index, and after each error. An
 * endpoint that answers without an index cannot block, and is read once.
 * Returns stop(), which aborts the call in flight; safe to call twice.
 */
export function watch<T>(path: string, query: RequestOptions['query'], listener: (e: WatchEvent<T>) => void): () => void {
  const abort = new AbortController();
  let stopped = false;
  let index = 0;
  let data: T | undefined;
  let delay = RETRY_FIRST_MS;
  const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  /** Takes the index of an answer; true when the listener should hear of it. */
  const advance = (next: number): boolean => {
    const changed = next !== index || index === 0;
    index = next < index ? 0 : next;
    return changed;
  };

  const loop = async () => {
    while (!stopped) {
      try {
        const q = index > 0 ? { ...query, index, wait: WAIT } : query;
        const answer = await request<T>(path, { query: q, signal: abort.signal });
        reportConnection(true);
        delay = RETRY_FIRST_MS;
        data = answer.body;
        if (advance(answer.index) && !stopped) listener({ data });
        // No index: the endpoint does not block (/v1/catalog/datacenters); read it once.
        if (answer.index === 0) return;
        continue;
      } catch (err) {
        if (stopped) return;
        if (!(err instanceof ApiError)) {
          reportConnection(false);
        } else {
          reportConnection(true);
          // A 404 carries an index too (a KV key that does not exist yet): wait for it to change.
          if (err.status === 404 && err.index > 0) {
            data = undefined;
            if (advance(err.index)) listener({ error: err });
            continue;
          }
          listener({ data, error: err });
        }
      }
      await pause(delay);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  };
  void loop();
  return () => {
    stopped = true;
    abort.abort();
  };
}
