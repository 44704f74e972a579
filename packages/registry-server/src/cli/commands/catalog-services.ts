import { attempt, command, expectNoArgs } from '../command.js';
import { nodeMetaQuery } from '../key-value-flags.js';

/**
 * Service names, one a line, or with `tags` a column of comma-separated sorted tags laid out as
 * Consul's tab writer does (the name column is six spaces wider than the longest name).
 */
export function servicesList(services: Record<string, string[]>, tags: boolean): string {
  const names = Object.keys(services).sort();
  if (!tags) return names.map((n) => `${n}\n`).join('');
  const width = Math.max(...names.map((n) => n.length)) + 6;
  const lines = names.map((n) => n.padEnd(width) + [...(services[n] ?? [])].sort().join(','));
  return `${lines.join('\n').trim()}\n`;
}

export const catalogServicesCommand = command({
  name: 'catalog services',
  synopsis: 'Lists all registered services in a datacenter',
  usage: '[options]',
  description: `
Lists the services in the catalog of the datacenter (the agent's own by default): all of them,
those on one node (-node), or those on nodes with some metadata (-node-meta).`,
  flags: {
    tags: { type: 'bool', usage: "Shows each service's tags, comma separated, beside its name." },
    node: { type: 'string', arg: 'id or name', usage: 'Only lists the services on this node.' },
    'node-meta': { type: 'strings', arg: 'key=value', usage: 'Only lists the services on nodes with this metadata; repeat for several pairs.' },
  },
  http: true,
  async run({ flags, args, io, client }) {
    expectNoArgs(args);
    const query = { 'node-meta': nodeMetaQuery(flags['node-meta']) };
    let services: Record<string, string[]> = {};
    if (flags.node) {
      type NodeServices = { Services: Record<string, { Service: string; Tags: string[] | null }> } | null;
      const node = await attempt('Error listing services for node', client().getJson<NodeServices>(`/v1/catalog/node/${encodeURIComponent(flags.node)}`, query));
      for (const s of Object.values(node?.Services ?? {})) services[s.Service] = [...(services[s.Service] ?? []), ...(s.Tags ?? [])];
    } else {
      services = await attempt('Error listing services', client().getJson<Record<string, string[]>>('/v1/catalog/services', query));
    }
    if (Object.keys(services).length === 0) {
      io.stderr.write('No services match the given query - try expanding your search.\n');
      return 0;
    }
    io.stdout.write(servicesList(services, flags.tags));
    return 0;
  },
});
