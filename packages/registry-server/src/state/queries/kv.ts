import type { KvEntry } from '../../structs/kv-entry.js';
import type { StateStore } from '../state-store.js';
import type { WatchSet } from '../watch-set.js';
import { result, type QueryResult } from './result.js';

/** One key; its index is the key's own (ModifyIndex or delete revision), so others' writes do not move it. */
export function kvGet(store: StateStore, ws: WatchSet, key: string): QueryResult<KvEntry | undefined> {
  ws.add(`kv:${key}`, 'kv');
  return result(store.kv.keyIndex(key), store.kv.get(key));
}

/** Every entry under a prefix; the index is the highest under the prefix, deletes included. */
export function kvList(store: StateStore, ws: WatchSet, prefix: string): QueryResult<KvEntry[]> {
  ws.add(`kvp:${prefix}`, 'kv');
  return result(store.kv.prefixIndex(prefix), [...store.kv.withPrefix(prefix)]);
}

/** Key names under a prefix; with a separator, names are cut after the first separator past the prefix. */
export function kvKeys(store: StateStore, ws: WatchSet, prefix: string, separator: string): QueryResult<string[]> {
  ws.add(`kvp:${prefix}`, 'kv');
  const out: string[] = [];
  let last = '';
  for (const e of store.kv.withPrefix(prefix)) {
    let k = e.Key;
    if (separator) {
      const i = k.indexOf(separator, prefix.length);
      if (i >= 0) k = k.slice(0, i + separator.length);
    }
    if (k !== last) out.push(k);
    last = k;
  }
  return result(store.kv.prefixIndex(prefix), out);
}
