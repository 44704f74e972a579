import { columns } from '../columns.js';
import { attempt, command, expectNoArgs } from '../command.js';
import { nodeMetaQuery } from '../key-value-flags.js';

/** The fields of a catalog node (or of a service instance's node) the table shows. */
export interface NodeRow {
  Node: string;
  ID: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses?: Record<string, string> | null;
  Meta?: Record<string, string> | null;
}

/** `k=v, k=v`, sorted by key. */
export function keyValueList(m: Record<string, string> | null | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${m![k]}`)
    .join(', ');
}

/** The `catalog nodes` table: Node, ID (its first part unless detailed), Address, DC (+ TaggedAddresses, Meta). */
export function nodesTable(nodes: readonly NodeRow[], detailed: boolean): string {
  const header = detailed ? ['Node', 'ID', 'Address', 'DC', 'TaggedAddresses', 'Meta'] : ['Node', 'ID', 'Address', 'DC'];
  const rows = nodes.map((n) => {
    if (detailed) return [n.Node, n.ID, n.Address, n.Datacenter, keyValueList(n.TaggedAddresses), keyValueList(n.Meta)];
    const dash = n.ID.indexOf('-');
    return [n.Node, dash > 0 ? n.ID.slice(0, dash) : n.ID, n.Address, n.Datacenter];
  });
  return columns([header, ...rows]);
}

interface CatalogServiceEntry {
  Node: string;
  ID: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string> | null;
  NodeMeta: Record<string, string> | null;
}

export const catalogNodesCommand = command({
  name: 'catalog nodes',
  synopsis: 'Lists all nodes in the given datacenter',
  usage: '[options]',
  description: `
Lists the nodes in the catalog of the datacenter (the agent's own by default). -service lists
the nodes that provide a service (one line per instance), -node-meta filters on node metadata.`,
  flags: {
    detailed: { type: 'bool', usage: 'Shows full node IDs, tagged addresses and metadata.' },
    service: { type: 'string', arg: 'id or name', usage: 'Only lists the nodes providing this service.' },
    'node-meta': { type: 'strings', arg: 'key=value', usage: 'Only lists the nodes with this metadata; repeat for several pairs.' },
    near: { type: 'string', arg: 'node', usage: 'Node name to sort by estimated round-trip time from; accepted for compatibility (Praetor has no network coordinates, so the order stays by name).' },
  },
  http: true,
  async run({ flags, args, io, client }) {
    expectNoArgs(args);
    const query = { near: flags.near, 'node-meta': nodeMetaQuery(flags['node-meta']) };
    let nodes: NodeRow[];
    if (flags.service) {
      const instances = await attempt(
        'Error listing nodes for service',
        client().getJson<CatalogServiceEntry[]>(`/v1/catalog/service/${encodeURIComponent(flags.service)}`, query),
      );
      nodes = instances.map((s) => ({ Node: s.Node, ID: s.ID, Address: s.Address, Datacenter: s.Datacenter, TaggedAddresses: s.TaggedAddresses, Meta: s.NodeMeta }));
    } else {
      nodes = await attempt('Error listing nodes', client().getJson<NodeRow[]>('/v1/catalog/nodes', query));
    }
    if (nodes.length === 0) {
      io.stderr.write('No nodes match the given query - try expanding your search.\n');
      return 0;
    }
    io.stdout.write(nodesTable(nodes, flags.detailed));
    return 0;
  },
});
