import { columns } from '../columns.js';
import { attempt, command, expectNoArgs } from '../command.js';
import type { RaftServer } from '../../structs/raft-server.js';

export const operatorRaftListPeersCommand = command({
  name: 'operator raft list-peers',
  synopsis: 'Displays the current server peers',
  usage: '[options]',
  description: `
Lists the servers of the datacenter as Consul lists its raft peers: every live server, with
its node ID, server address, whether it leads, and that it votes (Praetor's servers all do).`,
  flags: {
    stale: { type: 'bool', usage: 'Answers from the agent\'s own copy of the state, even without a leader.' },
  },
  http: true,
  async run({ flags, args, io, client }) {
    expectNoArgs(args);
    const config = await attempt('Error getting peers', client().getJson<{ Servers: RaftServer[] }>(`/v1/operator/raft/configuration${flags.stale ? '?stale' : ''}`));
    const rows = [['Node', 'ID', 'Address', 'State', 'Voter', 'RaftProtocol']];
    for (const s of config.Servers) rows.push([s.Node, s.ID, s.Address, s.Leader ? 'leader' : 'follower', String(s.Voter), s.ProtocolVersion || '<=1']);
    io.stdout.write(columns(rows));
    return 0;
  },
});
