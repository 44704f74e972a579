import { expect } from 'chai';
import { HEARTBEAT_PATH } from '../../src/membership/heartbeat.js';
import { clientAnnouncement, HeartbeatSender } from './heartbeat-sender.js';
import { http, startAgent, within, type AgentProcess } from './harness.js';
import { newKey } from './membership-peer.js';

type Member = { Name: string; Status: number; Tags: Record<string, string> };
const members = async (url: string) => (await http(`${url}/v1/agent/members`)).json() as Member[];
const serf = async (url: string, node: string) => {
  const checks = (await http(`${url}/v1/health/node/${node}?stale`)).json() as Array<{ CheckID: string; Status: string }>;
  return checks.find((c) => c.CheckID === 'serfHealth')?.Status;
};
const passing = async (url: string, service: string) =>
  ((await http(`${url}/v1/health/service/${service}?passing`)).json() as Array<{ Node: { Node: string } }>).map((e) => e.Node.Node);
const registerService = (url: string, node: string, service: string) =>
  http(`${url}/v1/catalog/register`, { method: 'PUT', body: JSON.stringify({ Node: node, Address: '127.0.0.1', Service: { Service: service, Port: 80 } }) });

/** Client members heartbeating to a real `praetor agent -dev` (the embedded store). */
describe('client members by heartbeat, embedded store (real agent)', function () {
  this.timeout(60000);
  let agent: AgentProcess | null = null;
  const senders: HeartbeatSender[] = [];
  afterEach(async () => {
    for (const s of senders.splice(0)) s.stop();
    await agent?.stop('SIGKILL');
    agent = null;
  });
  const sender = (name: string, key?: Buffer) => {
    const s = new HeartbeatSender([agent!.url], clientAnnouncement(name), key);
    senders.push(s);
    return s;
  };

  it('a heartbeating member is alive with its node; stopping turns serfHealth critical and its service leaves ?passing; left removes the node', async () => {
    agent = await startAgent(['-dev', '-node=srv', '-member-timeout=3s']);
    const c1 = sender('client-1');
    await c1.start();
    expect(c1.last).to.deep.include({ Servers: [`127.0.0.1:${agent.port}`], IntervalMs: 1000, Members: 2 });
    expect(c1.last!.DNS).to.match(/^127\.0\.0\.1:\d+$/);
    const m = (await members(agent.url)).find((x) => x.Name === 'client-1');
    expect(m).to.deep.include({ Status: 1 });
    expect(m!.Tags).to.deep.equal({ role: 'node', dc: 'dc1', port: '8301' });
    await within(5000, async () => (await serf(agent!.url, 'client-1')) === 'passing');
    expect((await registerService(agent.url, 'client-1', 'web')).status).to.equal(200);
    expect(await passing(agent.url, 'web')).to.deep.equal(['client-1']);

    c1.stop();
    await within(15000, async () => (await serf(agent!.url, 'client-1')) === 'critical', 100);
    expect(await passing(agent.url, 'web')).to.deep.equal([]);
    expect((await members(agent.url)).find((x) => x.Name === 'client-1')!.Status).to.equal(4);

    const c2 = sender('client-2');
    await c2.start();
    await within(5000, async () => (await serf(agent!.url, 'client-2')) === 'passing');
    expect((await c2.leave()).IntervalMs).to.equal(1000);
    expect((await http(`${agent.url}/v1/catalog/node/client-2`)).text).to.equal('null');
    expect((await members(agent.url)).find((x) => x.Name === 'client-2')!.Status).to.equal(3);
  });

  it('force-leave on a failed client member: left and its node gone; -prune forgets it', async () => {
    agent = await startAgent(['-dev', '-node=srv', '-member-timeout=1s']);
    const c = sender('client-f');
    await c.start();
    c.stop();
    await within(15000, async () => (await members(agent!.url)).find((x) => x.Name === 'client-f')?.Status === 4, 100);
    expect((await http(`${agent.url}/v1/agent/force-leave/client-f`, { method: 'PUT' })).status).to.equal(200);
    expect((await members(agent.url)).find((x) => x.Name === 'client-f')!.Status).to.equal(3);
    expect((await http(`${agent.url}/v1/catalog/node/client-f`)).text).to.equal('null');
    expect((await http(`${agent.url}/v1/agent/force-leave/client-f?prune`, { method: 'PUT' })).status).to.equal(200);
    expect((await members(agent.url)).map((x) => x.Name)).to.deep.equal(['srv']);
  });

  it('refuses a heartbeat from another datacenter (400), and with encrypt an unsigned one (403); a signed one is answered signed', async () => {
    const key = newKey();
    agent = await startAgent(['-dev', '-node=srv', `-encrypt=${key}`]);
    const body = JSON.stringify(clientAnnouncement('client-x'));
    const unsigned = await http(`${agent.url}${HEARTBEAT_PATH}`, { method: 'PUT', body });
    expect(unsigned.status).to.equal(403);
    expect(unsigned.text).to.match(/^Permission denied: the membership message is not signed/);
    const c = sender('client-x', Buffer.from(key, 'base64'));
    await c.start();
    expect(c.errors).to.deep.equal([]);
    expect(c.last!.IntervalMs).to.equal(2000);
    const wrong = sender('client-y', Buffer.from(newKey(), 'base64'));
    await wrong.start();
    expect(wrong.errors[0]).to.match(/refused: Permission denied/);
    expect((await members(agent.url)).map((x) => x.Name)).to.deep.equal(['srv', 'client-x']);

    const plain = await startAgent(['-dev', '-node=srv2']);
    try {
      const res = await http(`${plain.url}${HEARTBEAT_PATH}`, { method: 'PUT', body: JSON.stringify(clientAnnouncement('client-z', { Datacenter: 'dc2' })) });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('client-z is in datacenter "dc2", this server in "dc1"');
    } finally {
      await plain.stop('SIGKILL');
    }
  });
});
