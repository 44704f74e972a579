import { availableParallelism } from 'node:os';
import { VERSION } from '../../agent/agent.js';
import { formatDuration } from '../../internal/duration.js';
import { memberView } from '../../membership/member.js';
import type { Api } from '../api.js';

/** This agent as a member, in /v1/agent/members' shape. */
export function member(api: Api): Record<string, unknown> {
  return memberView(api.members.selfMember());
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
      CheckUpdateInterval: formatDuration(c.checkUpdateInterval),
      DiscardCheckOutput: c.discardCheckOutput,
      CheckOutputMaxSize: c.checkOutputMaxSize,
      EnableUI: c.uiEnabled,
    },
    Coord: { Vec: [0, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 0.00001 },
    Member: member(api),
    Stats: {
      agent: {
        check_monitors: String(checks.filter((x) => x.Type === 'script').length),
        checks: String(checks.length),
        check_ttls: String(checks.filter((x) => x.Type === 'ttl').length),
        services: String(services),
      },
      build: { prerelease: '', revision: 'praetor', version: VERSION },
      consul: {
        acl: 'disabled',
        bootstrap: String(c.bootstrap),
        known_datacenters: '1',
        leader: String(c.server && api.cluster.leadership.isLeader()),
        leader_addr: api.cluster.leader(),
        server: String(c.server),
      },
      raft: { applied_index: String(api.store.revision), commit_index: String(api.store.revision), last_contact: api.cluster.leadership.isLeader() ? '0' : `${api.cluster.lastContact()}ms`, state: api.cluster.leadership.isLeader() ? 'Leader' : 'Follower' },
      serf_lan: serfStats(api),
      runtime: { arch: process.arch, os: process.platform, version: process.version, cpu_count: String(availableParallelism()) },
    },
    Meta: { ...c.nodeMeta, 'consul-network-segment': '' },
  };
}

/** Consul's serf_lan stats, with Praetor's membership counts (no gossip: no queues, no coordinates). */
function serfStats(api: Api): Record<string, string> {
  const { members, failed, left } = api.members.stats();
  return { encrypted: 'false', failed: String(failed), health_score: '0', left: String(left), members: String(members) };
}
