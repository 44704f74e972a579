import { expect } from 'chai';
import Consul from 'consul';
import { http, startAgent, type AgentProcess } from './harness.js';

/**
 * Issue 13 §3: sidecar proxies and gateways registered as data (no proxy runs): Kind, Proxy and
 * Connect stored and answered in Consul 1.8.7's shapes (each expected value below is what the
 * real Consul 1.8.7 answered to the same registration).
 */
describe('service mesh as data: Kind, Proxy and Connect', function () {
  this.timeout(30_000);
  let agent: AgentProcess;
  let consul: Consul;
  const get = async (p: string) => (await http(`${agent.url}${p}`)).json();

  const proxy = {
    Kind: 'connect-proxy',
    Name: 'web-proxy',
    Port: 21000,
    Proxy: {
      DestinationServiceName: 'web',
      DestinationServiceID: 'web',
      LocalServiceAddress: '127.0.0.1',
      LocalServicePort: 8080,
      Config: { a: 1 },
      Upstreams: [{ DestinationName: 'db', LocalBindPort: 9191 }],
    },
  };

  before(async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
    consul = new Consul({ host: agent.host, port: agent.port });
    // The npm client drops Kind, so the proxy goes in over plain HTTP.
    expect((await http(`${agent.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(proxy) })).status).to.equal(200);
    await consul.agent.service.register({ name: 'nat', connect: { native: true } } as never);
  });
  after(async () => {
    consul?.destroy();
    await agent?.stop();
  });

  it('agent/service/:id shows Kind and the agent-shaped Proxy (upstream DestinationType defaulted to service), and Consul\'s ContentHash', async () => {
    expect(await get('/v1/agent/service/web-proxy')).to.deep.equal({
      Kind: 'connect-proxy',
      ID: 'web-proxy',
      Service: 'web-proxy',
      Tags: [],
      Meta: {},
      Port: 21000,
      Address: '',
      Weights: { Passing: 1, Warning: 1 },
      EnableTagOverride: false,
      ContentHash: '7a930cde825cd10d',
      Proxy: {
        DestinationServiceName: 'web',
        DestinationServiceID: 'web',
        LocalServiceAddress: '127.0.0.1',
        LocalServicePort: 8080,
        Config: { a: 1 },
        Upstreams: [{ DestinationType: 'service', DestinationName: 'db', LocalBindPort: 9191, MeshGateway: {} }],
        MeshGateway: {},
        Expose: {},
      },
    });
    expect(await get('/v1/agent/service/nat')).to.include({ ContentHash: '314650dc30ac8936' }).and.to.deep.include({ Connect: { Native: true } });
  });

  it('catalog/service rows carry ServiceKind, the catalog-shaped ServiceProxy and ServiceConnect', async () => {
    const [row] = (await consul.catalog.service.nodes('web-proxy')) as Array<Record<string, unknown>>;
    expect(row!.ServiceKind).to.equal('connect-proxy');
    expect(row!.ServiceProxy).to.deep.equal({
      DestinationServiceName: 'web',
      DestinationServiceID: 'web',
      LocalServiceAddress: '127.0.0.1',
      LocalServicePort: 8080,
      Config: { a: 1 },
      Upstreams: [{ DestinationType: 'service', DestinationName: 'db', Datacenter: '', LocalBindPort: 9191, Config: null, MeshGateway: {} }],
      MeshGateway: {},
      Expose: {},
    });
    expect(row!.ServiceConnect).to.deep.equal({});
    const [native] = (await consul.catalog.service.nodes('nat')) as Array<Record<string, unknown>>;
    expect([native!.ServiceKind, native!.ServiceConnect]).to.deep.equal(['', { Native: true }]);
  });

  it('catalog/register keeps Kind and Proxy as sent (no upstream type default); health and node listings show them', async () => {
    const res = await http(`${agent.url}/v1/catalog/register`, {
      method: 'PUT',
      body: JSON.stringify({ Node: 'k8s-sync', Address: '10.0.0.5', Service: { Kind: 'connect-proxy', Service: 'api-sidecar', Port: 20000, Proxy: { DestinationServiceName: 'api', Upstreams: [{ DestinationName: 'db' }] } } }),
    });
    expect(res.text).to.equal('true');
    const [entry] = (await consul.health.service('api-sidecar')) as Array<{ Service: Record<string, unknown> }>;
    expect(entry!.Service.Kind).to.equal('connect-proxy');
    expect(entry!.Service.Proxy).to.deep.equal({ DestinationServiceName: 'api', Upstreams: [{ DestinationName: 'db', Datacenter: '', LocalBindPort: 0, Config: null, MeshGateway: {} }], MeshGateway: {}, Expose: {} });
    const node = (await consul.catalog.node.services('k8s-sync')) as { Services: Record<string, { Kind: string }> };
    expect(node.Services['api-sidecar']!.Kind).to.equal('connect-proxy');
  });

  it('filters select on them', async () => {
    const byKind = (await get(`/v1/catalog/service/web-proxy?filter=${encodeURIComponent('ServiceKind == "connect-proxy"')}`)) as unknown[];
    expect(byKind).to.have.length(1);
    const byDest = (await get(`/v1/agent/services?filter=${encodeURIComponent('Proxy.DestinationServiceName == "web"')}`)) as Record<string, unknown>;
    expect(Object.keys(byDest)).to.deep.equal(['web-proxy']);
  });

  it('checks registrations as Consul does, on the agent (400) and the catalog (500): a proxy needs a destination and a port, gateways a port', async () => {
    const put = (body: unknown) => http(`${agent.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(body) });
    const both = await put({ Kind: 'connect-proxy', Name: 'p1' });
    expect([both.status, both.text]).to.deep.equal([
      400,
      '2 errors occurred:\n\t* Proxy.DestinationServiceName must be non-empty for Connect proxy services\n\t* Port must be set for a Connect proxy\n\n',
    ]);
    const gateway = await put({ Kind: 'mesh-gateway', Name: 'mg' });
    expect([gateway.status, gateway.text]).to.deep.equal([400, '1 error occurred:\n\t* Port must be non-zero for a mesh-gateway\n\n']);
    expect((await put({ Kind: 'ingress-gateway', Name: 'ig', Port: 8443 })).status).to.equal(200);
    // catalog/register checks the same, answering 500 as Consul 1.8.7 does, and stores nothing.
    const catalog = (service: unknown) => http(`${agent.url}/v1/catalog/register`, { method: 'PUT', body: JSON.stringify({ Node: 'mesh-ext', Address: '10.0.0.7', Service: service }) });
    const bad = await catalog({ Kind: 'connect-proxy', Service: 'p2' });
    expect([bad.status, bad.text]).to.deep.equal([
      500,
      '2 errors occurred:\n\t* Proxy.DestinationServiceName must be non-empty for Connect proxy services\n\t* Port must be set for a Connect proxy\n\n',
    ]);
    const upstream = await catalog({ Kind: 'connect-proxy', Service: 'p3', Port: 1, Proxy: { DestinationServiceName: 'a', Upstreams: [{ LocalBindPort: 1 }] } });
    expect([upstream.status, upstream.text]).to.deep.equal([500, '1 error occurred:\n\t* upstream destination name cannot be empty\n\n']);
    expect((await catalog({ Kind: 'mesh-gateway', Service: 'g2' })).status).to.equal(500);
    expect(await (await http(`${agent.url}/v1/catalog/node/mesh-ext`)).json()).to.equal(null);
  });

  it('catalog/connect and health/connect: the proxies whose destination is the service and its Connect-native instances; blocking, ?passing, filters', async () => {
    await consul.agent.service.register({ name: 'web', port: 8080 } as never);
    const rows = (await get('/v1/catalog/connect/web')) as Array<{ ServiceID: string; ServiceKind: string }>;
    expect(rows.map((r) => [r.ServiceID, r.ServiceKind])).to.deep.equal([['web-proxy', 'connect-proxy']]);
    expect(((await get('/v1/catalog/connect/nat')) as Array<{ ServiceID: string }>).map((r) => r.ServiceID)).to.deep.equal(['nat']);
    expect(await get('/v1/catalog/connect/nobody')).to.deep.equal([]);

    const first = await http(`${agent.url}/v1/health/connect/web`);
    const entries = first.json() as Array<{ Service: { ID: string }; Checks: Array<{ CheckID: string }> }>;
    expect(entries.map((e) => e.Service.ID)).to.deep.equal(['web-proxy']);
    expect(entries[0]!.Checks.map((c) => c.CheckID)).to.include('serfHealth');

    // A second proxy for web wakes a blocked reader.
    const index = first.headers.get('x-consul-index')!;
    const waiting = http(`${agent.url}/v1/health/connect/web?index=${index}&wait=30s`);
    const second = { ...proxy, ID: 'web-proxy-2', Port: 21001, Check: { TTL: '30s' } };
    expect((await http(`${agent.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(second) })).status).to.equal(200);
    const woke = await waiting;
    expect(Number(woke.headers.get('x-consul-index'))).to.be.above(Number(index));
    expect((woke.json() as Array<{ Service: { ID: string } }>).map((e) => e.Service.ID)).to.deep.equal(['web-proxy', 'web-proxy-2']);

    // web-proxy-2's TTL check is critical until it passes: ?passing leaves it out.
    expect(((await get('/v1/health/connect/web?passing')) as Array<{ Service: { ID: string } }>).map((e) => e.Service.ID)).to.deep.equal(['web-proxy']);
    const filtered = (await get(`/v1/health/connect/web?filter=${encodeURIComponent('Service.Port == 21001')}`)) as Array<{ Service: { ID: string } }>;
    expect(filtered.map((e) => e.Service.ID)).to.deep.equal(['web-proxy-2']);
  });
});
