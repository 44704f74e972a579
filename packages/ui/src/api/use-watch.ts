import { useEffect, useState } from 'preact/hooks';
import type { RequestOptions } from './request.js';
import { watch, type WatchEvent } from './watch.js';

export interface Watched<T> extends WatchEvent<T> {
  /** True until the first answer (or error) arrived. */
  loading: boolean;
}

/**
 * A component's live view of one API read (watch.ts): re-renders on every change the agent
 * reports; a new path or query starts a new watch, and unmounting stops it. `path` null watches nothing.
 */
export function useWatch<T>(path: string | null, query: RequestOptions['query'] = {}): Watched<T> {
  const key = path === null ? '' : `${path}?${JSON.stringify(query)}`;
  const [state, setState] = useState<Watched<T> & { key: string }>({ loading: true, key });
  useEffect(() => {
    setState({ loading: true, key });
    if (path === null) return undefined;
    return watch<T>(path, query, (e) => setState({ ...e, loading: false, key }));
  }, [key]);
  // A render between a key change and its effect must not show the previous key's data.
  return state.key === key ? state : { loading: true };
}
