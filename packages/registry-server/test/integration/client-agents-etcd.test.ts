import { expect } from 'chai';
import { within } from '@praetor/test-support';
import { startClient, type ClientAgent } from './client-agent.js';
import { http } from './harness.js';
import { foreignSnapshot, startPraetorCluster, type PraetorCluster } from './etcd-target.js';

const json = async (url: string) => {
  const res = await fetch(url);
  return { index: Number(res.headers.get('x-consul-index')), body: (await res.json()) as unknown };
};

/** Client agents attached to three servers on etcd: they move to another server when theirs dies. */
describe('client agents on three servers on etcd', function () {
  this.timeout(120_000);
  let cluster: PraetorCluster;
  const clients: ClientAgent[] = [];

  before(async () => {
    cluster = await startPraetorCluster({ count: 3 });
    const addrs = cluster.servers.map((s) => s.url);
    for (const name of ['etcd-client1', 'etcd-client2']) clients.push(await startClient(name, addrs));
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.stop('SIGKILL')));
    for (const c of clients) c.cleanup();
    await cluster?.stop();
  });

  it('a client whose server is killed attaches to another, and its blocking query continues there', async () => {
    const client = clients[0]!;
    await fetch(`${client.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'pay', Port: 7000 }) });
    const first = (await within(10_000, async () => {
      const r = await json(`${client.url}/v1/catalog/service/pay`);
      return (r.body as unknown[]).length === 1 ? r : undefined;
    }, 'pay in the catalog'))!;
    const attached = client.attachedTo()!;
    const victim = cluster.servers.findIndex((s) => s.url === attached);
    expect(victim, `attached to ${attached}`).to.be.at.least(0);

    // A blocking query on the service, parked on the client's server ...
    let answered = false;
    const blocked = json(`${client.url}/v1/catalog/service/pay?index=${first.index}&wait=60s`).then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 500));
    // ... which is killed.
    await cluster.servers[victim]!.stop('SIGKILL');
    await within(20_000, () => client.attachedTo() !== attached, 'the client attached to another server');
    expect(answered).to.equal(false);
    // A change through the other client wakes the query, now parked on a survivor.
    await fetch(`${clients[1]!.url}/v1/catalog/register`, { method: 'PUT', body: JSON.stringify({ Node: 'extnode', Address: '10.0.0.9', Service: { Service: 'pay', Port: 7001 } }) });
    const moved = await blocked;
    expect(moved.index).to.be.above(first.index);
    expect((moved.body as Array<{ Node: string }>).map((e) => e.Node).sort()).to.deep.equal(['etcd-client1', 'extnode']);
    // Its requests go on through a live server.
    const kv = await fetch(`${client.url}/v1/kv/after-failover`, { method: 'PUT', body: 'ok' });
    expect(await kv.json()).to.equal(true);
    await cluster.restart(victim);
  });

  it("a client's node, serfHealth and services come back after a restore of a snapshot that lacks them", async () => {
    const client = clients[1]!;
    await fetch(`${client.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'inventory', Port: 7100 }) });
    await within(10_000, async () => ((await json(`${cluster.servers[0]!.url}/v1/catalog/service/inventory`)).body as unknown[]).length === 1, 'inventory in the catalog');
    const archive = await foreignSnapshot();
    const restored = await http(`${cluster.servers[0]!.url}/v1/snapshot`, { method: 'PUT', body: archive });
    expect(restored.status, restored.text).to.equal(200);
    await within(20_000, async () => {
      const node = (await json(`${cluster.servers[1]!.url}/v1/catalog/node/etcd-client2`)).body as { Services?: Record<string, { Service: string }> } | null;
      const checks = (await json(`${cluster.servers[1]!.url}/v1/health/node/etcd-client2`)).body as Array<{ CheckID: string; Status: string }>;
      return Object.values(node?.Services ?? {}).some((x) => x.Service === 'inventory') && checks.some((c) => c.CheckID === 'serfHealth' && c.Status === 'passing');
    }, "the client's node and service back in the catalog");
  });
});
