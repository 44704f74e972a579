import { VERSION } from '../../agent/agent.js';
import type { Api } from '../api.js';

/** /v1/agent/members: this node as the one member (serf's fields; Status 1 = alive). */
export function member(api: Api): Record<string, unknown> {
  const c = api.config;
  return {
    Name: api.agent.node,
    Addr: c.bindAddr,
    Port: 8301,
    Tags: {
      acls: '0',
      build: `${VERSION}:praetor`,
      dc: c.datacenter,
      id: api.agent.nodeID,
      port: String(c.ports.server),
      role: c.server ? 'consul' : 'node',
      segment: '',
      vsn: '2',
      vsn_max: '3',
      vsn_min: '2',
    },
    Status: 1,
    ProtocolMin: 1,
    ProtocolMax: 5,
    ProtocolCur: 2,
    DelegateMin: 2,
    DelegateMax: 5,
    DelegateCur: 4,
  };
}

/** /v1/agent/self: the fields clients read (Config.Datacenter, Config.NodeName, Member, Stats). */
export function agentSelf(api: Api): Record<string, unknown> {
  const c = api.config;
  const services = api.agent.localServices().length;
  const checks = api.agent.localChecks();
  return {
    Config: { Datacenter: c.datacenter, NodeName: api.agent.node, NodeID: api.agent.nodeID, Revision: 'praetor', Server: c.server, Version: VERSION },
    DebugConfig: {
      Datacenter: c.datacenter,
      NodeName: api.agent.node,
      DataDir: c.dataDir ?? '',
      DevMode: c.dev,
      ServerMode: c.server,
      Bootstrap: c.bootstrap,
      BindAddr: c.bindAddr,
      ClientAddrs: c.clientAddrs,
      HTTPPort: c.ports.http,
      DNSPort: c.ports.dns,
      ServerPort: c.ports.server,
      KVMaxValueSize: c.limits.kvMaxValueSize,
      EnableScriptChecks: c.enableScriptChecks,
      EnableLocalScriptChecks: c.enableLocalScriptChecks,
      EnableUI: c.uiEnabled,
    },
    Coord: { Vec: [0, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 0.00001 },
    Member: member(api),
    Stats: {
      agent: {
        checks: String(checks.length),
        check_ttls: String(checks.filter((x) => x.Type === 'ttl').length),
        services: String(services),
      },
      build: { prerelease: '', revision: 'praetor', version: VERSION },
      consul: {
        acl: 'disabled',
        bootstrap: String(c.bootstrap),
        known_datacenters: '1',
        leader: String(c.server),
        leader_addr: c.server ? `${c.bindAddr}:${c.ports.server}` : '',
        server: String(c.server),
      },
      raft: { applied_index: String(api.store.revision), commit_index: String(api.store.revision), last_contact: '0', state: c.server ? 'Leader' : 'Follower' },
      runtime: { arch: process.arch, os: process.platform, version: process.version, cpu_count: String((globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1) },
    },
    Meta: { 'consul-network-segment': '' },
  };
}
