import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import Consul from 'consul';
import { http, startAgent, tempDir, within, type AgentProcess } from './harness.js';

interface AgentCheck {
  Name: string;
  Status: string;
  Output: string;
  Type: string;
  ServiceID: string;
}

/**
 * Issue 13 §3: Connect.SidecarService on agent registration. Each expected value is what the
 * real Consul 1.8.7 answered to the same requests (no proxy runs: the sidecar is data, its
 * checks are real).
 */
describe('Connect.SidecarService: the agent registers the sidecar proxy with its service', function () {
  this.timeout(30_000);
  let agent: AgentProcess;
  let consul: Consul;
  const get = async (p: string) => (await http(`${agent.url}${p}`)).json();
  const put = (p: string, body: unknown) => http(`${agent.url}${p}`, { method: 'PUT', body: JSON.stringify(body) });
  const services = async () => (await get('/v1/agent/services')) as Record<string, { Port: number; Tags: string[] }>;
  const checks = async () => (await get('/v1/agent/checks')) as Record<string, AgentCheck>;

  before(async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
    consul = new Consul({ host: agent.host, port: agent.port });
  });
  after(async () => {
    consul?.destroy();
    await agent?.stop();
  });

  it('registers <id>-sidecar-proxy as Consul does, port 21000 first, with Consul’s ContentHash for both', async () => {
    await consul.agent.service.register({ name: 'web', port: 8080, connect: { sidecarService: {} } } as never);
    expect(await get('/v1/agent/service/web-sidecar-proxy')).to.deep.equal({
      Kind: 'connect-proxy',
      ID: 'web-sidecar-proxy',
      Service: 'web-sidecar-proxy',
      Tags: [],
      Meta: {},
      Port: 21000,
      Address: '',
      Weights: { Passing: 1, Warning: 1 },
      EnableTagOverride: false,
      ContentHash: 'fc119a80fe1b5688',
      Proxy: { DestinationServiceName: 'web', DestinationServiceID: 'web', LocalServiceAddress: '127.0.0.1', LocalServicePort: 8080, MeshGateway: {}, Expose: {} },
    });
    // The parent is stored without its SidecarService, as Consul shows it.
    const web = (await get('/v1/agent/service/web')) as Record<string, unknown>;
    expect(web.Connect).to.equal(undefined);
    expect(web.ContentHash).to.equal('bf2949ffd493b86d');
    const [row] = (await get('/v1/catalog/connect/web')) as Array<{ ServiceID: string; ServicePort: number }>;
    expect([row!.ServiceID, row!.ServicePort]).to.deep.equal(['web-sidecar-proxy', 21000]);
  });

  it('gives the sidecar a TCP "Connect Sidecar Listening" check and an alias check that follows the parent’s health', async () => {
    await within(5_000, async () => (await checks())['service:web-sidecar-proxy:2']?.Output === 'No checks found.');
    const mine = await checks();
    expect(mine['service:web-sidecar-proxy:1']).to.include({ Name: 'Connect Sidecar Listening', Type: 'tcp', ServiceID: 'web-sidecar-proxy' });
    expect(mine['service:web-sidecar-proxy:2']).to.include({ Name: 'Connect Sidecar Aliasing web', Type: 'alias', Status: 'passing', Output: 'No checks found.' });
    expect((await put('/v1/agent/check/register', { Name: 'web ttl', CheckID: 'web-ttl', ServiceID: 'web', TTL: '60s' })).status).to.equal(200);
    const alias = async () => (await checks())['service:web-sidecar-proxy:2']!;
    await within(5_000, async () => (await alias()).Status === 'critical');
    expect((await alias()).Output).to.equal('Aliased check "web ttl" failing: ');
    await put('/v1/agent/check/warn/web-ttl?note=slow', undefined);
    await within(5_000, async () => (await alias()).Status === 'warning');
    expect((await alias()).Output).to.equal('Aliased check "web ttl" failing: slow');
    await put('/v1/agent/check/pass/web-ttl', undefined);
    await within(5_000, async () => (await alias()).Output === 'All checks passing.');
    expect((await alias()).Status).to.equal('passing');
    // Through the catalog too: the sidecar's health follows web's.
    const [entry] = (await get('/v1/health/service/web-sidecar-proxy')) as Array<{ Checks: Array<{ CheckID: string; Status: string }> }>;
    expect(entry!.Checks.find((c) => c.CheckID === 'service:web-sidecar-proxy:2')!.Status).to.equal('passing');
  });

  it('inherits the parent’s tags, meta and address unless the SidecarService sets its own; keeps a sidecar’s port on re-registration', async () => {
    const res = await put('/v1/agent/service/register', { Name: 'api', Address: '10.1.2.3', Port: 9090, Tags: ['a', 'b'], Meta: { m: '1' }, Connect: { SidecarService: {} } });
    expect(res.status).to.equal(200);
    const api = (await get('/v1/agent/service/api-sidecar-proxy')) as Record<string, unknown>;
    expect(api).to.deep.include({ Tags: ['a', 'b'], Meta: { m: '1' }, Address: '10.1.2.3', Port: 21001 });
    expect(api.TaggedAddresses).to.deep.equal({ lan_ipv4: { Address: '10.1.2.3', Port: 21001 }, wan_ipv4: { Address: '10.1.2.3', Port: 21001 } });
    const own = await put('/v1/agent/service/register', {
      Name: 'db',
      ID: 'db1',
      Port: 5432,
      Connect: { SidecarService: { Name: 'db-proxy', Tags: ['x'], Port: 30000, Proxy: { Upstreams: [{ DestinationName: 'api', LocalBindPort: 9191 }] }, Checks: [{ TTL: '10s' }] } },
    });
    expect(own.status).to.equal(200);
    const db = (await get('/v1/agent/service/db1-sidecar-proxy')) as Record<string, unknown>;
    expect(db).to.deep.include({ Service: 'db-proxy', Tags: ['x'], Port: 30000 });
    expect((db.Proxy as { Upstreams: unknown[] }).Upstreams).to.deep.equal([{ DestinationType: 'service', DestinationName: 'api', LocalBindPort: 9191, MeshGateway: {} }]);
    const dbChecks = Object.entries(await checks()).filter(([, c]) => c.ServiceID === 'db1-sidecar-proxy');
    expect(dbChecks.map(([id, c]) => [id, c.Name, c.Type])).to.deep.equal([['service:db1-sidecar-proxy', "Service 'db-proxy' check", 'ttl']]);
    // Registered again (tags gone from the parent): same port, tags follow the parent.
    expect((await put('/v1/agent/service/register', { Name: 'api', Address: '10.1.2.3', Port: 9090, Connect: { SidecarService: {} } })).status).to.equal(200);
    expect((await services())['api-sidecar-proxy']).to.deep.include({ Port: 21001, Tags: [] });
  });

  it('deregistering the parent removes its sidecar and the sidecar’s checks; a freed port is given again', async () => {
    expect((await put('/v1/agent/service/deregister/api', undefined)).status).to.equal(200);
    expect(Object.keys(await services())).to.not.include.members(['api', 'api-sidecar-proxy']);
    expect(Object.values(await checks()).filter((c) => c.ServiceID === 'api-sidecar-proxy')).to.deep.equal([]);
    expect(await get('/v1/catalog/service/api-sidecar-proxy')).to.deep.equal([]);
    await consul.agent.service.register({ name: 'h', port: 1, connect: { sidecarService: {} } } as never);
    expect((await services())['h-sidecar-proxy']!.Port).to.equal(21001);
    // The sidecar can go on its own; a parent registered again without SidecarService keeps its sidecar (Consul 1.8.7).
    expect((await put('/v1/agent/service/deregister/h-sidecar-proxy', undefined)).status).to.equal(200);
    expect(Object.keys(await services())).to.include('h');
    expect((await put('/v1/agent/service/register', { Name: 'web', Port: 8080 })).status).to.equal(200);
    expect(Object.keys(await services())).to.include('web-sidecar-proxy');
  });

  it('answers Consul’s errors: a nested SidecarService or an ID is a 400, reserved Meta a 500; nothing is registered', async () => {
    const nested = await put('/v1/agent/service/register', { Name: 'e', Port: 1, Connect: { SidecarService: { Connect: { SidecarService: {} } } } });
    expect([nested.status, nested.text]).to.deep.equal([400, '1 error occurred:\n\t* A SidecarService cannot have a nested SidecarService\n\n']);
    const id = await put('/v1/agent/service/register', { Name: 'f', Port: 1, Connect: { SidecarService: { ID: 'custom' } } });
    expect([id.status, id.text]).to.deep.equal([400, '1 error occurred:\n\t* A SidecarService cannot specify an ID as this is managed by the agent\n\n']);
    const meta = await put('/v1/agent/service/register', { Name: 'g', Port: 1, Connect: { SidecarService: { Meta: { 'consul-x': '1' } } } });
    expect(meta.status).to.equal(500);
    expect(meta.text).to.match(/^Invalid SidecarService: .*'consul-' is reserved/);
    const unknown = await put('/v1/agent/service/register', { Name: 'u', Port: 1, Connect: { SidecarService: { Colour: 'red' } } });
    expect(unknown.status).to.equal(400);
    expect(Object.keys(await services())).to.not.include.members(['e', 'f', 'g', 'u']);
  });
});

describe('Connect.SidecarService from a config file, with ports.sidecar_min_port/sidecar_max_port', function () {
  this.timeout(30_000);
  let agent: AgentProcess;
  let listener: net.Server;
  let port: number;
  const dir = tempDir();

  before(async () => {
    // Something listens on the one port of the range: the sidecar's TCP check passes.
    listener = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as net.AddressInfo).port;
    const file = path.join(dir, 'agent.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        ports: { sidecar_min_port: port, sidecar_max_port: port },
        service: { name: 'cfg', port: 7000, connect: { sidecar_service: { proxy: { upstreams: [{ destination_name: 'db', local_bind_port: 9191 }] } } } },
      }),
    );
    agent = await startAgent(['-dev', '-log-level=warn', `-config-file=${file}`]);
  });
  after(async () => {
    await agent?.stop();
    await new Promise((resolve) => listener?.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers the file’s sidecar on the range’s port, where its TCP check finds the listener', async () => {
    const proxy = (await (await http(`${agent.url}/v1/agent/service/cfg-sidecar-proxy`)).json()) as { Port: number; Proxy: { Upstreams: Array<{ DestinationName: string }> } };
    expect(proxy.Port).to.equal(port);
    expect(proxy.Proxy.Upstreams.map((u) => u.DestinationName)).to.deep.equal(['db']);
    await within(5_000, async () => {
      const all = (await (await http(`${agent.url}/v1/agent/checks`)).json()) as Record<string, AgentCheck>;
      return all['service:cfg-sidecar-proxy:1']?.Status === 'passing';
    });
  });

  it('answers 500 with Consul’s words once the range is used up', async () => {
    const res = await http(`${agent.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'more', Port: 1, Connect: { SidecarService: {} } }) });
    expect([res.status, res.text]).to.deep.equal([500, `no port provided for sidecar_service and none left in the configured range [${port}, ${port}]`]);
  });
});
