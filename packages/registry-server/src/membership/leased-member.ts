import { splitHostPort, type Member } from './member.js';
import type { LeasedMember } from './member-leases.js';

const UNSPECIFIED = new Set(['0.0.0.0', '::', '']);

/**
 * A leased (client) member as a Member, for /v1/agent/members and the catalog: its node from the
 * announcement, and its HTTP address (its first listen address, on its node address when that
 * one listens on every interface).
 */
export function leasedMember(m: LeasedMember): Member {
  const a = m.announcement;
  let host = a.Addr;
  let port = 0;
  try {
    const first = splitHostPort(a.Listen[0] ?? '');
    if (!UNSPECIFIED.has(first.host)) host = first.host;
    port = first.port ?? 0;
  } catch {
    // a malformed listen address: the node address, port 0
  }
  return {
    name: a.Name,
    id: a.ID,
    datacenter: a.Datacenter,
    nodeAddr: a.Addr,
    meta: { ...a.Meta },
    tags: { ...a.Tags },
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    status: m.status,
    since: m.since,
  };
}
