import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { http, runPraetor, tempDir, type AgentProcess } from './harness.js';
import { startTarget, TARGETS } from './targets.js';

/**
 * Issue 13 §3: config entries, kept as data, answered as Consul 1.8.7 answers them (each
 * expected value below is what the real Consul 1.8.7 answered). Plain HTTP: the consul npm
 * client has no config endpoint.
 */
for (const target of TARGETS) describe(`config entries: /v1/config and praetor config [${target}]`, function () {
  this.timeout(60_000);
  let agent: AgentProcess;
  const req = (method: string, p: string, body?: unknown) => http(`${agent.url}${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const strip = (v: unknown) => {
    const { CreateIndex: _c, ModifyIndex: _m, ...rest } = v as Record<string, unknown>;
    return rest;
  };

  before(async () => (agent = await startTarget(target, ['-dev', '-log-level=warn'])));
  after(async () => agent?.stop());

  it('stores each kind with Consul\'s defaults: service-defaults, proxy-defaults (always "global"), ingress-gateway (listener Protocol tcp), terminating-gateway', async () => {
    expect((await req('PUT', '/v1/config', { Kind: 'service-defaults', Name: 'web', Protocol: 'http' })).text).to.equal('true');
    expect(strip((await req('GET', '/v1/config/service-defaults/web')).json())).to.deep.equal({ Kind: 'service-defaults', Name: 'web', Protocol: 'http', MeshGateway: {}, Expose: {} });
    // Keys in any case, snake_case too.
    expect((await req('PUT', '/v1/config', { kind: 'service-defaults', name: 'lower', protocol: 'tcp', mesh_gateway: { mode: 'local' } })).text).to.equal('true');
    expect(strip((await req('GET', '/v1/config/service-defaults/lower')).json())).to.deep.equal({ Kind: 'service-defaults', Name: 'lower', Protocol: 'tcp', MeshGateway: { Mode: 'local' }, Expose: {} });

    expect((await req('PUT', '/v1/config', { Kind: 'proxy-defaults', Name: 'other', Config: { protocol: 'grpc' } })).text).to.equal('true');
    expect(strip((await req('GET', '/v1/config/proxy-defaults/global')).json())).to.deep.equal({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'grpc' }, MeshGateway: {}, Expose: {} });
    expect((await req('DELETE', '/v1/config/proxy-defaults/global')).text).to.equal('{}');

    expect((await req('PUT', '/v1/config', { Kind: 'ingress-gateway', Name: 'ig', Listeners: [{ Port: 9090, Services: [{ Name: 'db' }] }] })).text).to.equal('true');
    expect(strip((await req('GET', '/v1/config/ingress-gateway/ig')).json())).to.deep.equal({
      Kind: 'ingress-gateway',
      Name: 'ig',
      TLS: { Enabled: false },
      Listeners: [{ Port: 9090, Protocol: 'tcp', Services: [{ Name: 'db', Hosts: null }] }],
    });
    expect((await req('PUT', '/v1/config', { Kind: 'terminating-gateway', Name: 'tg', Services: [{ Name: 'legacy', CAFile: '/ca' }] })).text).to.equal('true');
    expect(strip((await req('GET', '/v1/config/terminating-gateway/tg')).json())).to.deep.equal({ Kind: 'terminating-gateway', Name: 'tg', Services: [{ Name: 'legacy', CAFile: '/ca' }] });
  });

  it('an ingress listener must speak its services\' protocol, from service-defaults or proxy-defaults, also when those change later', async () => {
    const mismatch = await req('PUT', '/v1/config', { Kind: 'ingress-gateway', Name: 'ig-http', Listeners: [{ Port: 8080, Protocol: 'http', Services: [{ Name: 'web' }, { Name: 'db' }] }] });
    expect([mismatch.status, mismatch.text]).to.deep.equal([500, 'service "db" has protocol "tcp", which does not match defined listener protocol "http"']);
    expect((await req('PUT', '/v1/config', { Kind: 'ingress-gateway', Name: 'ig-http', Listeners: [{ Port: 8080, Protocol: 'http', Services: [{ Name: 'web' }] }] })).text).to.equal('true');
    const breaking = await req('DELETE', '/v1/config/service-defaults/web');
    expect([breaking.status, breaking.text]).to.deep.equal([500, 'service "web" has protocol "tcp", which does not match defined listener protocol "http"']);
    expect((await req('DELETE', '/v1/config/ingress-gateway/ig-http')).status).to.equal(200);
  });

  it('lists a kind (blocking on it), CAS with ?cas, 404 for a missing entry, and Consul\'s errors for bad kinds and keys', async () => {
    const list = await req('GET', '/v1/config/service-defaults');
    expect((list.json() as Array<{ Name: string }>).map((e) => e.Name)).to.deep.equal(['lower', 'web']);
    const index = list.headers.get('x-consul-index')!;
    const waiting = http(`${agent.url}/v1/config/service-defaults?index=${index}&wait=30s`);
    const web = (await req('GET', '/v1/config/service-defaults/web')).json() as { ModifyIndex: number };
    expect((await req('PUT', '/v1/config?cas=0', { Kind: 'service-defaults', Name: 'web', Protocol: 'grpc' })).text).to.equal('false');
    expect((await req('PUT', `/v1/config?cas=${web.ModifyIndex}`, { Kind: 'service-defaults', Name: 'web', Protocol: 'http', ExternalSNI: 'web.example' })).text).to.equal('true');
    const woke = await waiting;
    expect(Number(woke.headers.get('x-consul-index'))).to.be.above(Number(index));

    const missing = await req('GET', '/v1/config/service-defaults/nope');
    expect([missing.status, missing.text]).to.deep.equal([404, 'Config entry not found for "service-defaults" / "nope"']);
    expect((await req('DELETE', '/v1/config/service-defaults/nope')).text).to.equal('{}');
    const bogus = await req('PUT', '/v1/config', { Kind: 'bogus', Name: 'x' });
    expect([bogus.status, bogus.text]).to.deep.equal([400, 'Bad request: Request decoding failed: invalid config entry kind: bogus']);
    const badKind = await req('GET', '/v1/config/bogus');
    expect([badKind.status, badKind.text]).to.deep.equal([500, 'invalid config entry kind: bogus']);
    const badKey = await req('PUT', '/v1/config', { Kind: 'service-defaults', Name: 'x', Bogus: 1 });
    expect([badKey.status, badKey.text]).to.deep.equal([400, 'Bad request: Request decoding failed: 1 error occurred:\n\t* invalid config key "Bogus"\n\n']);
    const noName = await req('DELETE', '/v1/config/service-defaults');
    expect([noName.status, noName.text]).to.deep.equal([404, 'Must provide both a kind and name to delete']);
    const deleteBadKind = await req('DELETE', '/v1/config/web/db');
    expect([deleteBadKind.status, deleteBadKind.text]).to.deep.equal([400, 'invalid config entry kind: web']);
    // The cluster's own record (kind "cluster") is not a config entry.
    expect((await req('GET', '/v1/config/cluster')).status).to.equal(500);
  });

  it('praetor config write|read|list|delete, with Consul\'s output', async () => {
    const dir = tempDir('praetor-config-');
    try {
      const file = path.join(dir, 'api.json');
      fs.writeFileSync(file, JSON.stringify({ Kind: 'service-defaults', Name: 'api', Protocol: 'http' }));
      const addr = `-http-addr=${agent.host}:${agent.port}`;
      const write = await runPraetor(['config', 'write', addr, file]);
      expect([write.code, write.stdout]).to.deep.equal([0, 'Config entry written: service-defaults/api\n']);
      const read = await runPraetor(['config', 'read', addr, '-kind', 'service-defaults', '-name', 'api']);
      expect(read.code).to.equal(0);
      expect(strip(JSON.parse(read.stdout))).to.deep.equal({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', MeshGateway: {}, Expose: {} });
      expect((await runPraetor(['config', 'list', addr, '-kind', 'service-defaults'])).stdout).to.equal('api\nlower\nweb\n');
      const stale = await runPraetor(['config', 'write', addr, '-cas', '-modify-index=1', '-'], { input: JSON.stringify({ Kind: 'service-defaults', Name: 'api' }) });
      expect([stale.code, stale.stderr.trim()]).to.deep.equal([1, 'Config entry not updated: service-defaults/api']);
      expect((await runPraetor(['config', 'delete', addr, '-kind', 'service-defaults', '-name', 'api'])).stdout).to.equal('Config entry deleted: service-defaults/api\n');
      const gone = await runPraetor(['config', 'read', addr, '-kind', 'service-defaults', '-name', 'api']);
      expect([gone.code, gone.stderr.trim()]).to.deep.equal([1, 'Error reading config entry service-defaults/api: Unexpected response code: 404 (Config entry not found for "service-defaults" / "api")']);
      expect((await runPraetor(['config', 'list', addr])).stderr.trim()).to.equal('Must specify the -kind parameter');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('catalog/gateway-services and health/ingress derive from the gateway entries (null and [] when nothing links)', async () => {
    const rows = (await req('GET', '/v1/catalog/gateway-services/ig')).json() as Array<Record<string, unknown>>;
    expect(rows.map(strip)).to.deep.equal([{ Gateway: { Name: 'ig' }, Service: { Name: 'db' }, GatewayKind: 'ingress-gateway', Port: 9090, Protocol: 'tcp' }]);
    const tg = (await req('GET', '/v1/catalog/gateway-services/tg')).json() as Array<Record<string, unknown>>;
    expect(tg.map(strip)).to.deep.equal([{ Gateway: { Name: 'tg' }, Service: { Name: 'legacy' }, GatewayKind: 'terminating-gateway', CAFile: '/ca' }]);
    expect((await req('GET', '/v1/catalog/gateway-services/nope')).text).to.equal('null');

    expect((await req('GET', '/v1/health/ingress/db')).json()).to.deep.equal([]);
    expect((await req('PUT', '/v1/agent/service/register', { Kind: 'ingress-gateway', Name: 'ig', Port: 8443 })).status).to.equal(200);
    const entries = (await req('GET', '/v1/health/ingress/db')).json() as Array<{ Service: { ID: string; Kind: string } }>;
    expect(entries.map((e) => [e.Service.ID, e.Service.Kind])).to.deep.equal([['ig', 'ingress-gateway']]);
    expect((await req('GET', '/v1/health/ingress/web')).json()).to.deep.equal([]);
  });
});
