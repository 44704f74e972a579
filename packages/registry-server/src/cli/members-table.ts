import { isIP } from 'node:net';
import { columns } from './columns.js';

/** A member as /v1/agent/members returns it (the fields the table uses). */
export interface AgentMember {
  Name: string;
  Addr: string;
  Port: number;
  Tags: Record<string, string>;
  Status: number;
}

const STATUS_NAMES = ['none', 'alive', 'leaving', 'left', 'failed'];

/** Serf's name for a member status number. */
export function memberStatusName(status: number): string {
  return STATUS_NAMES[status] ?? 'unknown';
}

const address = (m: AgentMember) => `${isIP(m.Addr) === 6 ? `[${m.Addr}]` : m.Addr}:${m.Port}`;

/** The segment column: servers serve every segment; a member without one is in the default one. */
function withSegment(m: AgentMember): AgentMember {
  const segment = m.Tags.role === 'consul' ? '<all>' : m.Tags.segment || '<default>';
  return { ...m, Tags: { ...m.Tags, segment } };
}

/** Servers first, then by segment, then by name, as `consul members` lists them. */
function order(a: AgentMember, b: AgentMember): number {
  const server = Number(b.Tags.role === 'consul') - Number(a.Tags.role === 'consul');
  if (server !== 0) return server;
  if (a.Tags.segment !== b.Tags.segment) return (a.Tags.segment ?? '') < (b.Tags.segment ?? '') ? -1 : 1;
  return a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0;
}

function standardRow(m: AgentMember): string[] {
  const status = memberStatusName(m.Status);
  const type = m.Tags.role === 'consul' ? 'server' : m.Tags.role === 'node' ? 'client' : undefined;
  if (!type) return [m.Name, address(m), status, 'unknown', '', '', '', ''];
  const build = m.Tags.build ? m.Tags.build.split(':')[0]! : '< 0.3';
  return [m.Name, address(m), status, type, build, m.Tags.vsn ?? '', m.Tags.dc ?? '', m.Tags.segment ?? ''];
}

function detailedRow(m: AgentMember): string[] {
  const tags = Object.keys(m.Tags)
    .sort()
    .map((k) => `${k}=${m.Tags[k]}`)
    .join(',');
  return [m.Name, address(m), memberStatusName(m.Status), tags];
}

/**
 * The `members` table, as Consul 1.8 prints it: Node, Address, Status, Type, Build, Protocol,
 * DC, Segment (or Node, Address, Status, Tags with `detailed`), for the members whose status
 * name matches `status`. Undefined when none match (the command then exits 2, as Consul's).
 */
export function membersTable(members: readonly AgentMember[], opts: { detailed?: boolean; status?: RegExp } = {}): string | undefined {
  const shown = members
    .map(withSegment)
    .filter((m) => !opts.status || opts.status.test(memberStatusName(m.Status)))
    .sort(order);
  if (shown.length === 0) return undefined;
  const header = opts.detailed ? ['Node', 'Address', 'Status', 'Tags'] : ['Node', 'Address', 'Status', 'Type', 'Build', 'Protocol', 'DC', 'Segment'];
  return columns([header, ...shown.map(opts.detailed ? detailedRow : standardRow)]);
}
