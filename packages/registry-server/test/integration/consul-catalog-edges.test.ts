import { expect } from 'chai';
import Consul from 'consul';
import { http, startAgent, type AgentProcess } from './harness.js';

/** Issue 13 §2: catalog and agent registration edges, each as Consul 1.8.7 answers it. */
describe('Consul edge cases: SkipNodeUpdate, service check IDs, txn result shapes, tolerated request fields', function () {
  this.timeout(30_000);
  let agent: AgentProcess;
  let consul: Consul;
  const put = (p: string, body: unknown) => http(`${agent.url}${p}`, { method: 'PUT', body: JSON.stringify(body) });
  const get = async (p: string) => (await http(`${agent.url}${p}`)).json();

  before(async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
    consul = new Consul({ host: agent.host, port: agent.port });
  });
  after(async () => {
    consul?.destroy();
    await agent?.stop();
  });

  it('catalog/register with SkipNodeUpdate for a node that does not exist creates it (no Address needed); without SkipNodeUpdate an Address is required', async () => {
    // The npm client insists on an address, so plain HTTP here.
    expect((await put('/v1/catalog/register', { Node: 'skipper', SkipNodeUpdate: true, Service: { Service: 'skipped' } })).text).to.equal('true');
    const node = (await consul.catalog.node.services('skipper')) as { Node: { Node: string; Address: string }; Services: Record<string, unknown> };
    expect([node.Node.Node, node.Node.Address, Object.keys(node.Services)]).to.deep.equal(['skipper', '', ['skipped']]);
    // An existing node is kept as it is.
    await consul.catalog.register({ node: 'skipper2', address: '10.0.0.9' } as never);
    await consul.catalog.register({ node: 'skipper2', address: '10.0.0.10', skipnodeupdate: true } as never);
    expect(((await get('/v1/catalog/node/skipper2')) as { Node: { Address: string } }).Node.Address).to.equal('10.0.0.9');
    const res = await put('/v1/catalog/register', { Node: 'skipper3' });
    expect([res.status, res.text]).to.deep.equal([500, 'Must provide address if SkipNodeUpdate is not set']);
  });

  it('a service with one check (in Check or a single Checks entry) gets service:<id>; several are numbered from 1, Check first', async () => {
    await consul.agent.service.register({ name: 'one', checks: [{ ttl: '10s' }] } as never);
    // The npm client sends only one of check and checks: both through plain HTTP.
    await put('/v1/agent/service/register', { Name: 'two', Check: { TTL: '10s' }, Checks: [{ TTL: '10s' }] });
    await consul.agent.service.register({ name: 'three', checks: [{ ttl: '10s' }, { ttl: '10s' }] } as never);
    const ids = Object.keys((await consul.agent.check.list()) as Record<string, unknown>).sort();
    expect(ids).to.deep.equal(['service:one', 'service:three:1', 'service:three:2', 'service:two:1', 'service:two:2']);
  });

  it('txn results: null node TaggedAddresses/Meta, service Tags/Meta and check ServiceTags when unset; a check Name stays "" (never its ID)', async () => {
    const res = (await consul.transaction.create([
      { Node: { Verb: 'set', Node: { Node: 'tn', Address: '10.0.0.1' } } },
      { Service: { Verb: 'set', Node: 'tn', Service: { ID: 'ts', Service: 'ts', Port: 80 } } },
      { Check: { Verb: 'set', Check: { Node: 'tn', CheckID: 'tc', ServiceID: 'ts', Definition: { TCP: '127.0.0.1:1', Interval: '10s' } } } },
    ] as never)) as { Results: Array<Record<string, Record<string, unknown>>> };
    const [node, service, check] = res.Results;
    expect([node!.Node!.TaggedAddresses, node!.Node!.Meta]).to.deep.equal([null, null]);
    expect([service!.Service!.Tags, service!.Service!.Meta]).to.deep.equal([null, null]);
    // Consul 1.8.7 derives no Type on the txn path (it does on catalog/register, below).
    expect([check!.Check!.Name, check!.Check!.ServiceTags, check!.Check!.Type]).to.deep.equal(['', null, '']);
  });

  it('catalog/register: a check Type comes from its definition (one of HTTP, TCP, GRPC) unless sent; its Name is not filled from its ID', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ Definition: { HTTP: 'http://127.0.0.1:1', Interval: '10s' } }, 'http'],
      [{ Definition: { TCP: '127.0.0.1:1', Interval: '10s' } }, 'tcp'],
      [{ Definition: { GRPC: '127.0.0.1:1', Interval: '10s' } }, 'grpc'],
      [{ Definition: { HTTP: 'http://127.0.0.1:1', TCP: '127.0.0.1:1' } }, ''],
      [{ Definition: { Interval: '10s' } }, ''],
      [{ Type: 'ttl', Definition: {} }, 'ttl'],
    ];
    for (const [check, type] of cases) {
      await put('/v1/catalog/register', { Node: 'typed', Address: '10.0.0.2', Check: { CheckID: 'c', ...check } });
      const [c] = (await consul.health.node('typed')) as unknown as Array<{ CheckID: string; Name: string; Type: string }>;
      expect([c!.CheckID, c!.Name, c!.Type], JSON.stringify(check)).to.deep.equal(['c', '', type]);
    }
  });

  it('write bodies take the fields Consul 1.8.7 tolerates: Address on catalog/deregister, CreateIndex/ModifyIndex on catalog/register, Token on agent/check/register', async () => {
    await put('/v1/catalog/register', { Node: 'old-client', Address: '10.0.0.3', Service: { Service: 'legacy' } });
    const dereg = await put('/v1/catalog/deregister', { Datacenter: 'dc1', Node: 'old-client', Address: '10.0.0.3', ServiceID: 'legacy' });
    expect([dereg.status, dereg.text]).to.deep.equal([200, 'true']);
    expect(((await get('/v1/catalog/node/old-client')) as { Services: object }).Services).to.deep.equal({});
    const reg = await put('/v1/catalog/register', { Node: 'old-client', Address: '10.0.0.3', CreateIndex: 5, ModifyIndex: 6 });
    expect([reg.status, reg.text]).to.deep.equal([200, 'true']);
    const check = await put('/v1/agent/check/register', { Name: 'tokened', TTL: '10s', Token: '' });
    expect(check.status).to.equal(200);
    // What Consul does not take is still refused.
    const bogus = await put('/v1/catalog/deregister', { Node: 'old-client', NodeMeta: {} });
    expect([bogus.status, bogus.text]).to.deep.equal([400, 'Request decode failed: json: unknown field "NodeMeta"']);
  });

  it('?cached on catalog/services, catalog/service and health/service: X-Cache MISS on first use, then HIT with Age; not with ?consistent', async () => {
    for (const path of ['/v1/catalog/services', '/v1/catalog/service/consul', '/v1/health/service/consul']) {
      const first = await http(`${agent.url}${path}?cached`);
      expect([first.status, first.headers.get('x-cache'), first.headers.get('age')], path).to.deep.equal([200, 'MISS', null]);
      const again = await http(`${agent.url}${path}?cached`);
      expect([again.status, again.headers.get('x-cache'), again.headers.get('age')], path).to.deep.equal([200, 'HIT', '0']);
      expect(again.text).to.equal(first.text);
      // Another request (here with ?node-meta) is another cache entry; a read without ?cached has no X-Cache.
      expect((await http(`${agent.url}${path}?cached&node-meta=a:b`)).headers.get('x-cache'), path).to.equal('MISS');
      expect((await http(`${agent.url}${path}`)).headers.get('x-cache'), path).to.equal(null);
    }
    const conflict = await http(`${agent.url}/v1/catalog/services?cached&consistent`);
    expect([conflict.status, conflict.text]).to.deep.equal([400, 'Cannot specify ?cached with ?consistent, conflicting semantics.']);
  });

  it('agent/service/:id: Consul\'s ContentHash (6b13684bfe179e67 for foo, tags bar,baz, port 8000), and ?hash= blocks until it changes', async () => {
    await consul.agent.service.register({ name: 'foo', tags: ['bar', 'baz'], port: 8000 } as never);
    const res = await http(`${agent.url}/v1/agent/service/foo`);
    const body = res.json() as { ContentHash: string; TaggedAddresses?: unknown };
    expect([res.headers.get('x-consul-contenthash'), body.ContentHash]).to.deep.equal(['6b13684bfe179e67', '6b13684bfe179e67']);
    // A short wait with the current hash: answers the same service when it runs out.
    const idle = await http(`${agent.url}/v1/agent/service/foo?hash=6b13684bfe179e67&wait=200ms`);
    expect((idle.json() as { ContentHash: string }).ContentHash).to.equal('6b13684bfe179e67');
    // A change wakes the waiter with the new hash.
    const waiting = http(`${agent.url}/v1/agent/service/foo?hash=6b13684bfe179e67&wait=30s`);
    await consul.agent.service.register({ name: 'foo', tags: ['bar', 'baz'], port: 8001 } as never);
    const woke = (await waiting).json() as { Port: number; ContentHash: string };
    expect(woke.Port).to.equal(8001);
    expect(woke.ContentHash).not.to.equal('6b13684bfe179e67');
    // A service with an IP address gets the agent's lan_ipv4/wan_ipv4 tagged addresses, as in Consul.
    await consul.agent.service.register({ name: 'ip', address: '10.1.1.1', port: 1 } as never);
    expect(((await http(`${agent.url}/v1/agent/service/ip`)).json() as { TaggedAddresses: unknown }).TaggedAddresses).to.deep.equal({
      lan_ipv4: { Address: '10.1.1.1', Port: 1 },
      wan_ipv4: { Address: '10.1.1.1', Port: 1 },
    });
  });
});
