import { expect } from 'chai';
import Consul from 'consul';
import fs from 'node:fs';
import { http, runPraetor, startAgent, tempDir, within, type AgentProcess } from './harness.js';

/** `praetor ARGS` against `agent` (through PRAETOR_HTTP_ADDR, so flags and arguments stay as typed). */
function cli(agent: AgentProcess, ...args: string[]) {
  return runPraetor(args, { env: { PRAETOR_HTTP_ADDR: `${agent.host}:${agent.port}`, CONSUL_HTTP_ADDR: '' } });
}

interface MemberJson {
  Name: string;
  Addr: string;
  Port: number;
  Status: number;
  Tags: Record<string, string>;
}

async function members(agent: AgentProcess): Promise<MemberJson[]> {
  return (await http(`${agent.url}/v1/agent/members`)).json() as MemberJson[];
}

async function statusOf(agent: AgentProcess, name: string): Promise<number | undefined> {
  return (await members(agent)).find((m) => m.Name === name)?.Status;
}

/** The row of `praetor members` for a node, its cells split. */
function row(table: string, node: string): string[] | undefined {
  return table
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((cells) => cells[0] === node);
}

describe('praetor members, join, leave, force-leave (real agents)', function () {
  this.timeout(60000);
  const started: AgentProcess[] = [];
  const start = async (args: string[]) => {
    const a = await startAgent(args);
    started.push(a);
    return a;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((a) => a.stop('SIGKILL')));
  });

  it('lists the agent itself in Consul 1.8 columns, and -detailed its tags', async () => {
    const a = await start(['-dev', '-node=solo', '-node-meta=rack:r1']);
    const res = await cli(a, 'members');
    expect(res.code).to.equal(0);
    expect(res.stderr).to.equal('');
    const lines = res.stdout.split('\n');
    expect(lines[0]).to.match(/^Node\s+Address\s+Status\s+Type\s+Build\s+Protocol\s+DC\s+Segment$/);
    expect(row(res.stdout, 'solo')).to.deep.equal(['solo', `127.0.0.1:${a.port}`, 'alive', 'server', '1.8.7', '2', 'dc1', '<all>']);

    const detailed = await cli(a, 'members', '-detailed');
    expect(detailed.code).to.equal(0);
    expect(detailed.stdout.split('\n')[0]).to.match(/^Node\s+Address\s+Status\s+Tags$/);
    const tags = row(detailed.stdout, 'solo')![3]!;
    expect(tags).to.match(/^acls=0,build=1\.8\.7:praetor,dc=dc1,id=[0-9a-f-]{36},port=8300,role=consul,segment=<all>,vsn=2,vsn_max=3,vsn_min=2$/);

    // No member matches: nothing printed, exit 2 (as Consul); a bad regexp is an error.
    expect(await cli(a, 'members', '-status=failed')).to.deep.include({ code: 2, stdout: '', stderr: '' });
    expect((await cli(a, 'members', '-status=al')).code).to.equal(0);
    const bad = await cli(a, 'members', '-status=[');
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/^Failed to compile status regexp: /);
  });

  it('joins two agents over HTTP: both list both, and each catalog has the other node with serfHealth passing', async () => {
    const a = await start(['-dev', '-node=alpha']);
    const b = await start(['-dev', '-node=beta']);
    const res = await cli(a, 'join', `127.0.0.1:${b.port}`);
    expect(res).to.deep.include({ code: 0, stdout: 'Successfully joined cluster by contacting 1 nodes.\n', stderr: '' });
    for (const [agent, other] of [[a, b], [b, a]] as const) {
      const table = (await cli(agent, 'members')).stdout;
      expect(row(table, 'alpha')?.slice(1, 3)).to.deep.equal([`127.0.0.1:${a.port}`, 'alive']);
      expect(row(table, 'beta')?.slice(1, 3)).to.deep.equal([`127.0.0.1:${b.port}`, 'alive']);
      const otherName = other === a ? 'alpha' : 'beta';
      const checks = (await http(`${agent.url}/v1/health/node/${otherName}`)).json() as { CheckID: string; Status: string; Output: string }[];
      expect(checks.map((c) => [c.CheckID, c.Status, c.Output])).to.deep.equal([['serfHealth', 'passing', 'Agent alive and reachable']]);
    }
    const nodes = await cli(a, 'catalog', 'nodes');
    expect(nodes.stdout.split('\n').slice(1, 3).map((l) => l.split(/\s+/)[0])).to.deep.equal(['alpha', 'beta']);
    const info = await cli(a, 'info');
    expect(info.stdout).to.include('serf_lan:\n\tencrypted = false\n\tfailed = 0\n\thealth_score = 0\n\tleft = 0\n\tmembers = 2\n');

    // Joining again, or joining itself, is harmless.
    expect((await cli(a, 'join', `127.0.0.1:${b.port}`, `127.0.0.1:${a.port}`)).stdout).to.equal('Successfully joined cluster by contacting 2 nodes.\n');
    expect((await members(a)).map((m) => m.Name)).to.deep.equal(['alpha', 'beta']);
  });

  it('reports an unreachable address as Consul does, and fails when no address could be joined', async () => {
    const a = await start(['-dev', '-node=lonely']);
    const b = await start(['-dev', '-node=friend']);
    const res = await cli(a, 'join', '127.0.0.1:1', `127.0.0.1:${b.port}`);
    expect(res.code).to.equal(0);
    expect(res.stdout).to.equal('Successfully joined cluster by contacting 1 nodes.\n');
    expect(res.stderr).to.equal("Error joining address '127.0.0.1:1': Unexpected response code: 500 (1 error occurred:\n\t* Failed to join 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1)\n");

    const none = await cli(a, 'join', '127.0.0.1:1');
    expect(none.code).to.equal(1);
    expect(none.stderr).to.match(/Error joining address '127\.0\.0\.1:1': .*\n.*\nFailed to join any nodes\.\n$/);

    const api = await http(`${a.url}/v1/agent/join/127.0.0.1:1`, { method: 'PUT' });
    expect(api.status).to.equal(500);
    expect(api.text).to.equal('1 error occurred:\n\t* Failed to join 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n\n');
    // An agent of another datacenter, or one with the same node name, is refused.
    const other = await start(['-dev', '-node=far', '-datacenter=dc2']);
    const cross = await http(`${a.url}/v1/agent/join/127.0.0.1:${other.port}`, { method: 'PUT' });
    expect(cross.status).to.equal(500);
    expect(cross.text).to.include('datacenter');
    const twin = await start(['-dev', '-node=lonely']);
    expect((await http(`${a.url}/v1/agent/join/127.0.0.1:${twin.port}`, { method: 'PUT' })).status).to.equal(500);
    expect((await members(a)).map((m) => m.Name)).to.deep.equal(['lonely', 'friend']);
  });

  it('marks a killed member failed with serfHealth critical; force-leave makes it left, -prune forgets it', async () => {
    const a = await start(['-dev', '-node=keeper']);
    const b = await start(['-dev', '-node=victim']);
    expect((await cli(a, 'join', `127.0.0.1:${b.port}`)).code).to.equal(0);
    b.proc.kill('SIGKILL');
    await b.exited;
    await within(30000, async () => (await statusOf(a, 'victim')) === 4, 200);
    expect(row((await cli(a, 'members')).stdout, 'victim')?.[2]).to.equal('failed');
    expect((await cli(a, 'members', '-status=failed')).stdout.split('\n')[1]).to.match(/^victim\s/);
    const checks = (await http(`${a.url}/v1/health/node/victim`)).json() as { CheckID: string; Status: string; Output: string }[];
    expect(checks.map((c) => [c.CheckID, c.Status, c.Output])).to.deep.equal([['serfHealth', 'critical', 'Agent not live or unreachable']]);

    // Forcing an alive member is accepted and changes nothing; an unknown one is an error.
    expect(await cli(a, 'force-leave', 'keeper')).to.deep.include({ code: 0, stdout: '', stderr: '' });
    const unknown = await cli(a, 'force-leave', 'nosuch');
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.equal("Error force leaving: Unexpected response code: 500 (agent: No node found with name 'nosuch')\n");

    expect(await cli(a, 'force-leave', 'victim')).to.deep.include({ code: 0, stdout: '', stderr: '' });
    expect(row((await cli(a, 'members')).stdout, 'victim')?.[2]).to.equal('left');
    expect((await http(`${a.url}/v1/catalog/node/victim`)).text).to.equal('null');

    expect((await cli(a, 'force-leave', '-prune', 'victim')).code).to.equal(0);
    expect((await members(a)).map((m) => m.Name)).to.deep.equal(['keeper']);
  });

  it('leave: the agent tells its members, answers "Graceful leave complete" and exits 0; the other shows it left', async () => {
    const a = await start(['-dev', '-node=stayer']);
    const b = await start(['-dev', '-node=leaver']);
    expect((await cli(b, 'join', `127.0.0.1:${a.port}`)).code).to.equal(0);
    await within(5000, async () => (await statusOf(a, 'leaver')) === 1);
    const res = await cli(b, 'leave');
    expect(res).to.deep.include({ code: 0, stdout: 'Graceful leave complete\n', stderr: '' });
    expect(await b.exited).to.equal(0);
    expect(row((await cli(a, 'members')).stdout, 'leaver')?.[2]).to.equal('left');
    expect((await http(`${a.url}/v1/catalog/node/leaver`)).text).to.equal('null');
    expect(((await http(`${a.url}/v1/agent/self`)).json() as { Stats: { serf_lan: Record<string, string> } }).Stats.serf_lan).to.deep.include({ members: '2', left: '1' });
  });

  it('a restarted agent with a data dir rejoins the members it had', async () => {
    const dir = tempDir();
    try {
      const b = await start(['-dev', '-node=steady']);
      const a1 = await start(['-server', `-data-dir=${dir}`, '-node=restarter']);
      expect((await cli(a1, 'join', `127.0.0.1:${b.port}`)).code).to.equal(0);
      expect(await a1.stop('SIGTERM')).to.equal(0);
      const a2 = await start(['-server', `-data-dir=${dir}`, '-node=restarter']);
      await within(15000, async () => (await members(b)).some((m) => m.Name === 'restarter' && m.Status === 1 && m.Port === a2.port), 100);
      await within(15000, async () => (await statusOf(a2, 'steady')) === 1, 100);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the consul npm client joins, lists members and force-leaves unchanged', async () => {
    const a = await start(['-dev', '-node=npm-a']);
    const b = await start(['-dev', '-node=npm-b']);
    const consul = new Consul({ host: a.host, port: a.port });
    try {
      await consul.agent.join({ address: `127.0.0.1:${b.port}` });
      const list = (await consul.agent.members()) as MemberJson[];
      expect(list.map((m) => [m.Name, m.Addr, m.Port, m.Status])).to.deep.equal([
        ['npm-a', '127.0.0.1', a.port, 1],
        ['npm-b', '127.0.0.1', b.port, 1],
      ]);
      let err: Error | undefined;
      await consul.agent.forceLeave({ node: 'nosuch' }).catch((e: Error) => (err = e));
      expect(err?.message).to.equal("agent: No node found with name 'nosuch'");
    } finally {
      consul.destroy();
    }
  });

  it('lists the WAN pool of a lone server (itself, as NODE.DC) and refuses force-leave -wan with a clear 400', async () => {
    const a = await start(['-dev', '-node=lone', '-datacenter=dcx']);
    const wan = (await http(`${a.url}/v1/agent/members?wan=1`)).json() as MemberJson[];
    expect(wan.map((m) => [m.Name, m.Addr, m.Port, m.Status, m.Tags.dc, m.Tags.role])).to.deep.equal([['lone.dcx', '127.0.0.1', a.port, 1, 'dcx', 'consul']]);
    const cliWan = await cli(a, 'members', '-wan');
    expect(cliWan.code).to.equal(0);
    expect(row(cliWan.stdout, 'lone.dcx')?.slice(0, 3)).to.deep.equal(['lone.dcx', `127.0.0.1:${a.port}`, 'alive']);
    const res = await http(`${a.url}/v1/agent/force-leave/x?wan=true`, { method: 'PUT' });
    expect([res.status, res.text]).to.deep.equal([400, 'force-leave -wan is not supported: servers of other datacenters that stop answering are failed, and forgotten after 72h']);
  });
});
