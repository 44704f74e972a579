import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import Consul from 'consul';
import { freePort, within } from '@praetor/test-support';
import { startClient, type ClientAgent } from './client-agent.js';
import { startAgent, tempDir, type AgentProcess } from './harness.js';

type Member = { Name: string; Addr: string; Status: number; Tags: Record<string, string> };
const json = async <T>(url: string): Promise<T> => (await fetch(url)).json() as Promise<T>;
const serf = async (server: string, node: string) => (await json<Array<{ CheckID: string; Status: string }>>(`${server}/v1/health/node/${node}`)).find((c) => c.CheckID === 'serfHealth')?.Status;
const passing = async (server: string, service: string) => (await json<Array<{ Node: { Node: string } }>>(`${server}/v1/health/service/${service}?passing`)).map((e) => e.Node.Node).sort();
const status = async (server: string, node: string) => (await json<Member[]>(`${server}/v1/agent/members`)).find((m) => m.Name === node)?.Status;

/**
 * Client agents as members of the datacenter: their liveness is their heartbeats (member
 * leases), their node's serfHealth follows it, and leave / force-leave work as Consul's.
 * Agents bound to 127.0.0.1, .2 and .3, as on three machines.
 */
describe('client agents as members (server on 127.0.0.1, clients on 127.0.0.2 and .3)', function () {
  this.timeout(120_000);
  let server: AgentProcess;
  const clients = new Map<string, ClientAgent>();
  const start = async (node: string, ip: string, dataDir?: string) => {
    const c = await startClient(node, [server.url], [`-bind=${ip}`, `-client=${ip}`, `-http-port=${await freePort(ip)}`], dataDir);
    clients.set(node, c);
    return c;
  };

  before(async () => {
    server = await startAgent(['-dev', '-node=server1', '-bind=127.0.0.1', '-client=127.0.0.1', '-member-timeout=3s']);
    await start('member-a', '127.0.0.2');
    await start('member-b', '127.0.0.3');
    for (const c of clients.values()) await fetch(`${c.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'svc', ID: `svc-${c.node}`, Port: 80 }) });
    await within(10_000, async () => (await passing(server.url, 'svc')).length === 2, 'both instances passing');
  });
  after(async () => {
    for (const c of clients.values()) {
      await c.stop('SIGKILL');
      c.cleanup();
    }
    await server?.stop();
  });

  it('every member is listed with its role and address; a client answers members with the server’s view', async () => {
    const viaServer = await json<Member[]>(`${server.url}/v1/agent/members`);
    const view = (ms: Member[]) => ms.map((m) => [m.Name, m.Addr, m.Status, m.Tags.role]).sort();
    expect(view(viaServer)).to.deep.equal([
      ['member-a', '127.0.0.2', 1, 'node'],
      ['member-b', '127.0.0.3', 1, 'node'],
      ['server1', '127.0.0.1', 1, 'consul'],
    ]);
    expect(view(await json<Member[]>(`${clients.get('member-a')!.url}/v1/agent/members`))).to.deep.equal(view(viaServer));
    expect(await serf(server.url, 'member-a')).to.equal('passing');
  });

  it('kill -9 of a client: its serfHealth turns critical and its service leaves ?passing; restarted, it is back', async () => {
    const b = clients.get('member-b')!;
    await b.stop('SIGKILL');
    await within(15_000, async () => (await serf(server.url, 'member-b')) === 'critical', 'serfHealth of member-b critical', 200);
    expect(await passing(server.url, 'svc')).to.deep.equal(['member-a']);
    expect(await status(server.url, 'member-b')).to.equal(4);
    await start('member-b', '127.0.0.3', b.dataDir);
    await within(15_000, async () => (await passing(server.url, 'svc')).length === 2, 'member-b passing again');
    expect(await status(server.url, 'member-b')).to.equal(1);
  });

  it('SIGINT on a client is a graceful leave: status left, its node and services gone', async () => {
    const a = clients.get('member-a')!;
    expect(await a.stop('SIGINT')).to.equal(0);
    await within(10_000, async () => (await status(server.url, 'member-a')) === 3, 'member-a left');
    // The leader drops the node of a member that left right after recording it left.
    await within(10_000, async () => (await (await fetch(`${server.url}/v1/catalog/node/member-a`)).json()) === null, "member-a's node gone");
    expect(await passing(server.url, 'svc')).to.deep.equal(['member-b']);
  });

  it("SIGTERM on a client is a graceful leave too (leave_on_terminate is on for clients, as in Consul); with it off, the member fails", async () => {
    const d = await start('member-d', '127.0.0.2');
    await within(10_000, async () => (await status(server.url, 'member-d')) === 1, 'member-d alive');
    expect(await d.stop('SIGTERM')).to.equal(0);
    await within(10_000, async () => (await status(server.url, 'member-d')) === 3, 'member-d left');
    await within(10_000, async () => (await (await fetch(`${server.url}/v1/catalog/node/member-d`)).json()) === null, "member-d's node gone");

    const dir = tempDir('praetor-leave-');
    fs.writeFileSync(path.join(dir, 'stay.json'), JSON.stringify({ leave_on_terminate: false }));
    const e = await startClient('member-e', [server.url], ['-bind=127.0.0.2', '-client=127.0.0.2', `-http-port=${await freePort('127.0.0.2')}`, '-dns-port=0', `-config-file=${path.join(dir, 'stay.json')}`]);
    clients.set('member-e', e);
    try {
      await within(10_000, async () => (await status(server.url, 'member-e')) === 1, 'member-e alive');
      expect(await e.stop('SIGTERM')).to.equal(0);
      await within(15_000, async () => (await status(server.url, 'member-e')) === 4, 'member-e failed', 200);
      expect(await serf(server.url, 'member-e')).to.equal('critical');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the consul npm client: join from either side, members, force-leave of a failed client', async () => {
    const dir = tempDir('praetor-client-');
    const port = await freePort('127.0.0.2');
    // A client started with no server at all, joined from the server's side ...
    const lone = await startAgent(['-node=member-c', `-data-dir=${dir}`, '-bind=127.0.0.2', '-client=127.0.0.2', `-http-port=${port}`]);
    try {
      const onServer = new Consul({ host: '127.0.0.1', port: server.port });
      await onServer.agent.join(`127.0.0.2:${port}`);
      await within(10_000, async () => (await status(server.url, 'member-c')) === 1, 'member-c alive');
      // ... and one joined from its own side.
      const onClient = new Consul({ host: '127.0.0.2', port });
      await onClient.agent.join(`127.0.0.1:${server.port}`);
      const names = ((await onClient.agent.members()) as Member[]).map((m) => m.Name).sort();
      expect(names).to.include.members(['member-b', 'member-c', 'server1']);
      await lone.stop('SIGKILL');
      await within(15_000, async () => (await status(server.url, 'member-c')) === 4, 'member-c failed', 200);
      await onServer.agent.forceLeave('member-c');
      await within(10_000, async () => (await status(server.url, 'member-c')) === 3, 'member-c left');
      expect(await (await fetch(`${server.url}/v1/catalog/node/member-c`)).json()).to.equal(null);
    } finally {
      await lone.stop('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
