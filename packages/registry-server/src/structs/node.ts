import type { Indexed } from './indexed.js';

/** A catalog node, as Consul's catalog returns it. */
export interface Node extends Indexed {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string>;
  Meta: Record<string, string>;
}
