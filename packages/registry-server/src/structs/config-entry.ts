import type { Indexed } from './indexed.js';

/**
 * A stored configuration record: a config entry (`service-defaults`, `proxy-defaults`, ...)
 * as the API returns it, or one of the cluster's own records (kind `cluster`, never listed by
 * the API). Keyed `<kind>/<name>` (see configKey); the body is kept as written.
 */
export interface ConfigEntry extends Indexed {
  Kind: string;
  Name: string;
  [field: string]: unknown;
}

/** The store key of a config record. Kinds hold no `/`, so the first one splits the key. */
export function configKey(kind: string, name: string): string {
  return `${kind}/${name}`;
}

/** The kind of the cluster's own records. */
export const CLUSTER_KIND = 'cluster';
