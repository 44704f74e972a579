import { memberView } from '../membership/member.js';
import { serverMembers } from '../membership/server-members.js';
import type { WanPool } from './wan-pool.js';

/**
 * The WAN pool in /v1/agent/members?wan=1's shape: every known server of every datacenter,
 * named `<node>.<dc>`, this datacenter first. As in the LAN list, Addr:Port is the server's HTTP
 * address (what `join -wan` takes; Praetor has no serf WAN port); Tags.port is its server port.
 */
export function wanMemberViews(pool: WanPool): Array<Record<string, unknown>> {
  return pool.servers().flatMap(({ datacenter, servers }) =>
    servers.map((s) => {
      const [m] = serverMembers([s], [], datacenter);
      return memberView({ ...m!, name: `${s.name}.${datacenter}`, status: s.status });
    }),
  );
}
