import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { http, runPraetor, startAgent, tempDir, within, type AgentProcess } from './harness.js';
import { announce, announcement, catalogNodes, countingListener, memberList, newKey, type CountingListener } from './membership-peer.js';

const cli = (agent: AgentProcess, ...args: string[]) => runPraetor(args, { env: { PRAETOR_HTTP_ADDR: `${agent.host}:${agent.port}`, CONSUL_HTTP_ADDR: '' } });

describe('membership bounds: announcements change only their sender, reconnect_timeout, the member bound (real agents)', function () {
  this.timeout(60000);
  const agents: AgentProcess[] = [];
  const listeners: CountingListener[] = [];
  const dirs: string[] = [];
  const start = async (args: string[], env?: NodeJS.ProcessEnv) => {
    const a = await startAgent(args, { env });
    agents.push(a);
    return a;
  };
  const listen = async () => {
    const l = await countingListener();
    listeners.push(l);
    return l;
  };
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop('SIGKILL')));
    await Promise.all(listeners.splice(0).map((l) => l.close()));
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('refuses a signed announcement that would move a live member, take its address, make it leave or take over a catalog node', async () => {
    const key = newKey();
    const a = await start(['-dev', '-node=owner', `-encrypt=${key}`]);
    const b = await start(['-dev', '-node=honest', `-encrypt=${key}`]);
    expect((await cli(a, 'join', `127.0.0.1:${b.port}`)).code).to.equal(0);
    const bId = (((await http(`${b.url}/v1/agent/self`)).json()) as { Config: { NodeID: string } }).Config.NodeID;
    const elsewhere = await listen();

    const moved = await announce(a, announcement('honest', elsewhere.port, { ID: bId, Addr: '127.0.0.99' }), { key });
    expect(moved.status).to.equal(403);
    expect(moved.text).to.equal(`Permission denied: member "honest" is alive at http://127.0.0.1:${b.port}; an announcement cannot move it to http://127.0.0.1:${elsewhere.port} (it can once that member has failed or left)`);
    const otherId = await announce(a, announcement('honest', b.port, { ID: '11111111-2222-4333-8444-555555555555', Addr: '127.0.0.99' }), { key });
    expect(otherId.status).to.equal(403);
    expect(otherId.text).to.match(/^Permission denied: node "honest" is a live member with node ID [0-9a-f-]{36}, not 11111111-2222-4333-8444-555555555555/);
    const leave = await announce(a, announcement('honest', elsewhere.port, { ID: bId, Status: 'left' }), { key });
    expect([leave.status, leave.text]).to.deep.equal([403, `Permission denied: member "honest" lives at http://127.0.0.1:${b.port}; a leave notice from http://127.0.0.1:${elsewhere.port} cannot make it leave`]);
    const copycat = await announce(a, announcement('copycat', b.port), { key });
    expect([copycat.status, copycat.text]).to.deep.equal([403, `Permission denied: http://127.0.0.1:${b.port} is the HTTP address of live member "honest"; an announcement cannot claim it for "copycat"`]);

    const reg = await http(`${a.url}/v1/catalog/register`, { method: 'PUT', body: JSON.stringify({ Node: 'web-node', Address: '127.0.0.5' }) });
    expect(reg.status).to.equal(200);
    const takeover = await announce(a, announcement('web-node', elsewhere.port, { Addr: '127.0.0.99' }), { key });
    expect(takeover.status).to.equal(403);
    expect(takeover.text).to.include('node "web-node" is in the catalog and is not a cluster member');

    expect((await memberList(a)).map((m) => [m.Name, m.Port, m.Status])).to.deep.equal([['owner', a.port, 1], ['honest', b.port, 1]]);
    expect((await catalogNodes(a)).map((n) => [n.Node, n.Address])).to.deep.equal([['honest', '127.0.0.1'], ['owner', '127.0.0.1'], ['web-node', '127.0.0.5']]);
    expect((await http(`${a.url}/v1/health/node/web-node`)).json()).to.deep.equal([]);
    expect(a.output()).to.match(/refused an announcement from "honest" at http:\/\/127\.0\.0\.1:\d+: Permission denied/);
  });

  it('removes a failed member after reconnect_timeout, its node leaving the catalog', async () => {
    const conf = path.join(dir(), 'short.json');
    fs.writeFileSync(conf, JSON.stringify({ reconnect_timeout: '3s' }));
    const a = await start(['-dev', '-node=reaper', `-config-file=${conf}`]);
    const b = await start(['-dev', '-node=mortal']);
    expect((await cli(a, 'join', `127.0.0.1:${b.port}`)).code).to.equal(0);
    await b.stop('SIGKILL');
    // Failed after two missed probes, removed 3s later: the log shows both, in that order.
    await within(40000, async () => (await memberList(a)).length === 1, 100);
    expect((await memberList(a)).map((m) => m.Name)).to.deep.equal(['reaper']);
    expect((await http(`${a.url}/v1/catalog/node/mortal`)).text).to.equal('null');
    expect(a.output()).to.match(/member failed[\s\S]*member removed: failed for longer than reconnect_timeout \(3s\)/);
  });

  it('holds the member bound: past it a new member is refused with 503, and members.json stays at the bound', async () => {
    const key = newKey();
    const dataDir = dir();
    const a = await start(['-server', `-data-dir=${dataDir}`, '-node=bounded', `-encrypt=${key}`], { PRAETOR_TEST_MAX_MEMBERS: '3' });
    const ports = await Promise.all([1, 2, 3, 4].map(() => listen()));
    for (const [i, l] of ports.slice(0, 3).entries()) expect((await announce(a, announcement(`m${i + 1}`, l.port), { key })).status).to.equal(200);
    const full = await announce(a, announcement('m4', ports[3]!.port), { key });
    expect([full.status, full.text]).to.deep.equal([
      503,
      "the member list is full (3 members): no new member is accepted; remove failed members with 'praetor force-leave -prune NODE' or wait for reconnect_timeout",
    ]);
    // A known member still refreshes itself.
    expect((await announce(a, announcement('m1', ports[0]!.port), { key })).status).to.equal(200);
    expect((await memberList(a)).map((m) => m.Name)).to.deep.equal(['bounded', 'm1', 'm2', 'm3']);
    const file = path.join(dataDir, 'members.json');
    await within(10000, () => fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[]).length === 3, 50);
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ name: string }>).map((m) => m.name).sort()).to.deep.equal(['m1', 'm2', 'm3']);
    expect((await catalogNodes(a)).map((n) => n.Node)).not.to.include('m4');
  });
});
