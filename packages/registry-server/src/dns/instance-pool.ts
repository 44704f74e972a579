import { serviceIndex } from '../state/queries/catalog.js';
import type { StateStore } from '../state/state-store.js';
import type { CatalogTables } from '../state/tables/catalog.js';
import type { Service } from '../structs/service.js';

interface Pool {
  index: number;
  instances: Service[];
}

/** Per catalog (a restore brings a new one), per service name. */
const pools = new WeakMap<CatalogTables, Map<string, Pool>>();

/**
 * The instances of a service, as an array kept between DNS questions until the service's index
 * moves (any change to its instances, their nodes or checks). Callers may reorder it in place
 * (each answer shuffles the part it takes), so a question about a service of thousands of
 * instances copies nothing.
 */
export function instancePool(store: StateStore, name: string): Service[] {
  let byName = pools.get(store.catalog);
  if (!byName) pools.set(store.catalog, (byName = new Map()));
  const index = serviceIndex(store, name);
  const cached = byName.get(name);
  if (cached && cached.index === index) return cached.instances;
  const instances = [...(store.catalog.byName.get(name)?.values() ?? [])];
  if (instances.length === 0) byName.delete(name);
  else byName.set(name, { index, instances });
  return instances;
}
