import { VERSION } from '../agent/agent.js';
import type { ServerInfo } from '../backend/cluster.js';
import { splitHostPort, type Member } from './member.js';

/**
 * The servers the store knows (with etcd: every server holding a live lease) that the member
 * list does not, as members: alive, with a server's tags. Servers of one etcd-backed datacenter
 * need no join to know each other.
 */
export function serverMembers(servers: readonly ServerInfo[], known: readonly Member[], datacenter: string): Member[] {
  const names = new Set(known.map((m) => m.name));
  return servers
    .filter((s) => !names.has(s.name))
    .map((s) => {
      const { host, port } = splitHostPort(s.addr);
      return {
        name: s.name,
        id: '',
        datacenter,
        nodeAddr: host,
        meta: {},
        tags: { acls: '0', build: `${VERSION}:praetor`, dc: datacenter, port: String(port ?? ''), role: 'consul', segment: '', vsn: '2', vsn_max: '3', vsn_min: '2' },
        url: `http://${s.http}`,
        status: 'alive',
      };
    });
}
