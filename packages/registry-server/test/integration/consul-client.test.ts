import { startTarget, TARGETS } from './targets.js';
import { expect } from 'chai';
import Consul from 'consul';
import { startAgent, within, type AgentProcess } from './harness.js';

/** The real `consul` npm client, unchanged, against a real `praetor agent -dev` process. */
for (const target of TARGETS) describe(`consul npm client against praetor agent [${target}]`, function () {
  this.timeout(30000);
  let agent: AgentProcess;
  let consul: Consul;

  before(async () => {
    agent = await startTarget(target, ['-dev']);
    consul = new Consul({ host: agent.host, port: agent.port });
  });
  after(async () => {
    consul?.destroy();
    await agent?.stop();
  });

  it('status: leader and peers answer BIND:SERVER_PORT', async () => {
    const leader = await consul.status.leader();
    const peers = await consul.status.peers();
    expect(peers).to.have.length(target === 'dev' ? 1 : 3);
    expect(peers).to.include(leader);
    for (const p of peers as string[]) expect(p).to.match(/^127\.0\.0\.1:\d+$/);
    if (target === 'dev') expect(leader).to.equal('127.0.0.1:8300');
  });

  it('agent: self names the datacenter and node', async () => {
    const self = (await consul.agent.self()) as { Config: { Datacenter: string; NodeName: string; Server: boolean } };
    expect(self.Config.Datacenter).to.equal('dc1');
    expect(self.Config.Server).to.equal(true);
    const members = (await consul.agent.members()) as Array<{ Name: string; Status: number }>;
    // Every server is a live member (one with -dev, three on etcd).
    expect(members).to.have.length(target === 'dev' ? 1 : 3);
    expect(members.map((m) => [m.Name, m.Status])).to.deep.include([self.Config.NodeName, 1]);
    expect(members.every((m) => m.Status === 1)).to.equal(true);
  });

  it('agent service register / list / deregister, with a TTL check driven by pass and fail', async () => {
    await consul.agent.service.register({ name: 'web', id: 'web-1', tags: ['v1', 'blue'], port: 8080, meta: { zone: 'a' }, check: { ttl: '30s', name: 'web ttl' } } as never);
    const services = (await consul.agent.service.list()) as Record<string, { Service: string; Port: number; Tags: string[]; Meta: Record<string, string> }>;
    expect(services['web-1']).to.include({ Service: 'web', Port: 8080 });
    expect(services['web-1'].Tags).to.deep.equal(['v1', 'blue']);
    expect(services['web-1'].Meta).to.deep.equal({ zone: 'a' });

    const checks = (await consul.agent.check.list()) as Record<string, { Status: string; ServiceID: string; Type: string }>;
    expect(checks['service:web-1']).to.include({ Status: 'critical', ServiceID: 'web-1', Type: 'ttl' });

    await consul.agent.check.pass({ id: 'service:web-1', note: 'all good' });
    let passing = (await consul.health.service({ service: 'web', passing: true })) as Array<{ Service: { ID: string }; Checks: Array<{ CheckID: string; Output: string }> }>;
    expect(passing.map((e) => e.Service.ID)).to.deep.equal(['web-1']);
    expect(passing[0].Checks.find((c) => c.CheckID === 'service:web-1')!.Output).to.equal('all good');

    await consul.agent.check.fail({ id: 'service:web-1', note: 'down' });
    passing = (await consul.health.service({ service: 'web', passing: true })) as typeof passing;
    expect(passing).to.deep.equal([]);

    await consul.agent.service.deregister('web-1');
    expect(await consul.agent.service.list()).to.not.have.property('web-1');
  });

  it('catalog: register an external node and service; nodes, services, service, node', async () => {
    await consul.catalog.register({ node: 'ext-1', address: '10.1.2.3', service: { service: 'db', id: 'db-1', port: 5432, tags: ['primary'] } } as never);
    const nodes = (await consul.catalog.node.list()) as Array<{ Node: string; Address: string }>;
    expect(nodes.find((n) => n.Node === 'ext-1')).to.include({ Address: '10.1.2.3' });
    const services = (await consul.catalog.service.list()) as Record<string, string[]>;
    expect(services.db).to.deep.equal(['primary']);
    const rows = (await consul.catalog.service.nodes({ service: 'db', tag: 'primary' } as never)) as Array<{ Node: string; ServiceID: string; ServicePort: number }>;
    expect(rows.map((r) => [r.Node, r.ServiceID, r.ServicePort])).to.deep.equal([['ext-1', 'db-1', 5432]]);
    const node = (await consul.catalog.node.services('ext-1')) as { Node: { Node: string }; Services: Record<string, { Port: number }> };
    expect(node.Services['db-1'].Port).to.equal(5432);
    await consul.catalog.deregister({ node: 'ext-1' } as never);
    const after = (await consul.catalog.node.list()) as Array<{ Node: string }>;
    expect(after.map((n) => n.Node)).to.not.include('ext-1');
  });

  it('health: node checks include serfHealth; state lists by status', async () => {
    const self = (await consul.agent.self()) as { Config: { NodeName: string } };
    const checks = (await consul.health.node(self.Config.NodeName)) as Array<{ CheckID: string; Status: string }>;
    expect(checks.find((c) => c.CheckID === 'serfHealth')).to.include({ Status: 'passing' });
    const passing = (await consul.health.state('passing')) as Array<{ CheckID: string }>;
    expect(passing.map((c) => c.CheckID)).to.include('serfHealth');
  });

  it('filter: the client\'s filter option reaches agent, catalog and health reads; a bad one is an error', async () => {
    await consul.agent.service.register({ name: 'flt', id: 'flt-1', tags: ['a'], port: 1, meta: { env: 'prod' } } as never);
    await consul.agent.service.register({ name: 'flt', id: 'flt-2', tags: ['b'], port: 2, meta: { env: 'qa' } } as never);
    const services = (await consul.agent.service.list({ filter: 'Service == flt and Meta.env == qa' })) as Record<string, unknown>;
    expect(Object.keys(services)).to.deep.equal(['flt-2']);
    const rows = (await consul.catalog.service.nodes({ service: 'flt', filter: 'ServiceTags contains a' })) as Array<{ ServiceID: string }>;
    expect(rows.map((r) => r.ServiceID)).to.deep.equal(['flt-1']);
    const entries = (await consul.health.service({ service: 'flt', filter: 'Service.Port == 2' })) as Array<{ Service: { ID: string } }>;
    expect(entries.map((e) => e.Service.ID)).to.deep.equal(['flt-2']);
    const err = await consul.agent.service.list({ filter: 'Service ==' }).then(
      () => undefined,
      (e: Error & { statusCode?: number; response?: { body?: unknown } }) => e,
    );
    expect(err?.statusCode).to.equal(400);
    expect(String(err?.response?.body)).to.match(/^Failed to create boolean expression evaluator: 1:11 \(10\): no match found/);
    await consul.agent.service.deregister('flt-1');
    await consul.agent.service.deregister('flt-2');
  });

  it('kv: set, get, keys, recurse, cas, delete', async () => {
    expect(await consul.kv.set('cfg/app/a', 'one')).to.equal(true);
    expect(await consul.kv.set({ key: 'cfg/app/b', value: 'two', flags: 42 } as never)).to.equal(true);
    const a = (await consul.kv.get('cfg/app/a')) as { Value: string; ModifyIndex: number; Flags: number };
    expect(a.Value).to.equal('one');
    const b = (await consul.kv.get('cfg/app/b')) as { Flags: number };
    expect(b.Flags).to.equal(42);
    expect(await consul.kv.keys('cfg/')).to.deep.equal(['cfg/app/a', 'cfg/app/b']);
    expect(await consul.kv.keys({ key: 'cfg/', separator: '/' } as never)).to.deep.equal(['cfg/app/']);
    const all = (await consul.kv.get({ key: "cfg/", recurse: true } as never)) as unknown as Array<{ Key: string }>;
    expect(all.map((e) => e.Key)).to.deep.equal(['cfg/app/a', 'cfg/app/b']);
    // A failed CAS answers `false`, which this client (like against Consul) surfaces as a falsy result.
    expect(await consul.kv.set({ key: 'cfg/app/a', value: 'x', cas: a.ModifyIndex + 1000 } as never)).to.not.equal(true);
    expect(((await consul.kv.get('cfg/app/a')) as { Value: string }).Value).to.equal('one');
    expect(await consul.kv.set({ key: 'cfg/app/a', value: 'x', cas: a.ModifyIndex } as never)).to.equal(true);
    await consul.kv.del({ key: 'cfg/', recurse: true } as never);
    expect(await consul.kv.get('cfg/app/a')).to.equal(undefined);
  });

  it('watch: a blocking health watch sees a new instance', async () => {
    const watch = consul.watch({ method: consul.health.service, options: { service: 'watched', wait: '5s' } as never });
    const seen: number[] = [];
    watch.on('change', (data: unknown[]) => seen.push(data.length));
    watch.on('error', () => undefined);
    try {
      await within(5000, () => seen.length >= 1);
      await consul.agent.service.register({ name: 'watched', port: 1 } as never);
      await within(5000, () => seen.includes(1));
    } finally {
      watch.end();
    }
  });
});
