import { VERSION } from '../agent/agent.js';
import type { AgentConfig } from '../config/agent-config.js';
import type { SelfInfo } from './member-list.js';

/** This agent as a member: its node, and serf-style tags as a Consul server's (role, dc, build, ...). */
export function selfInfo(config: AgentConfig, node: string, nodeID: string): SelfInfo {
  return {
    name: node,
    id: nodeID,
    datacenter: config.datacenter,
    nodeAddr: config.bindAddr,
    meta: { ...config.nodeMeta, 'consul-network-segment': '' },
    tags: {
      acls: '0',
      build: `${VERSION}:praetor`,
      dc: config.datacenter,
      id: nodeID,
      port: String(config.ports.server),
      role: config.server ? 'consul' : 'node',
      segment: '',
      vsn: '2',
      vsn_max: '3',
      vsn_min: '2',
    },
  };
}
