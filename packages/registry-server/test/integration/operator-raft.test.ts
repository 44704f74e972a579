import { expect } from 'chai';
import type { RaftServer } from '../../src/structs/raft-server.js';
import { http, runPraetor, startAgent, type AgentProcess } from './harness.js';

/** /v1/operator/raft/configuration, the peer removal's errors and `praetor operator raft list-peers`, with Consul 1.8.7's shapes and texts. */
describe('operator raft', function () {
  this.timeout(30_000);
  let agent: AgentProcess;
  before(async () => (agent = await startAgent(['-dev', '-node=raft1', '-server-port=18300'])));
  after(async () => agent?.stop());

  it('lists the server as the leading voter, with its node ID and server address', async () => {
    const nodeID = ((await http(`${agent.url}/v1/agent/self`)).json() as { Config: { NodeID: string } }).Config.NodeID;
    const res = await http(`${agent.url}/v1/operator/raft/configuration`);
    expect(res.status).to.equal(200);
    expect(res.json()).to.deep.equal({ Servers: [{ ID: nodeID, Node: 'raft1', Address: '127.0.0.1:18300', Leader: true, ProtocolVersion: '3', Voter: true }], Index: 0 });
    expect((await http(`${agent.url}/v1/operator/raft/configuration?stale`)).json()).to.deep.equal(res.json());
  });

  it('praetor operator raft list-peers prints Consul’s table', async () => {
    const nodeID = ((await http(`${agent.url}/v1/operator/raft/configuration`)).json() as { Servers: RaftServer[] }).Servers[0]!.ID;
    const out = await runPraetor(['operator', 'raft', 'list-peers', `-http-addr=${agent.url}`]);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout.split('\n').map((l) => l.trim().split(/\s+/))).to.deep.equal([
      ['Node', 'ID', 'Address', 'State', 'Voter', 'RaftProtocol'],
      ['raft1', nodeID, '127.0.0.1:18300', 'leader', 'true', '3'],
      [''],
    ]);
    const group = await runPraetor(['operator', 'raft']);
    expect(group.code).to.equal(1);
    expect(group.stderr).to.include('list-peers').and.to.include('Displays the current server peers');
  });

  it('answers a peer removal as Consul does for a missing parameter or an unknown peer, and refuses to remove a live server', async () => {
    const del = (q: string) => http(`${agent.url}/v1/operator/raft/peer${q}`, { method: 'DELETE' });
    const none = await del('');
    expect([none.status, none.text]).to.deep.equal([400, "Bad request: Must specify either ?id with the server's ID or ?address with IP:port of peer to remove"]);
    const unknown = await del('?address=1.2.3.4:8300');
    expect([unknown.status, unknown.text]).to.deep.equal([500, 'address "1.2.3.4:8300" was not found in the Raft configuration']);
    const unknownID = await del('?id=nope');
    expect([unknownID.status, unknownID.text]).to.deep.equal([500, 'id "nope" was not found in the Raft configuration']);
    const live = await del('?address=127.0.0.1:18300');
    expect(live.status).to.equal(500);
    expect(live.text).to.match(/^server "raft1" is live: .*praetor leave/);
    expect(((await http(`${agent.url}/v1/operator/raft/configuration`)).json() as { Servers: RaftServer[] }).Servers).to.have.length(1);
  });
});
