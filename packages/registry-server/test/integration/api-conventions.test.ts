import { expect } from 'chai';
import { http, startAgent, type AgentProcess } from './harness.js';

/** Cross-cutting conventions of Consul's HTTP API, against a real agent (not -dev: compact JSON). */
describe('HTTP API conventions', function () {
  this.timeout(30000);
  let agent: AgentProcess;
  let url: string;
  let dir: string;
  before(async () => {
    const { tempDir } = await import('./harness.js');
    dir = tempDir();
    agent = await startAgent(['-server', '-bootstrap', `-data-dir=${dir}`, '-node=conv', '-node-meta=rack:r1']);
    url = agent.url;
  });
  after(async () => {
    await agent.stop();
    (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
  });
  const put = (path: string, body: unknown) => http(`${url}${path}`, { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('accepts snake_case and odd-case body keys and answers in canonical PascalCase', async () => {
    const res = await put('/v1/agent/service/register', {
      name: 'snake',
      id: 'snake-1',
      PORT: 81,
      tagged_addresses: { lan: { address: '127.0.0.9', port: 81 } },
      enable_tag_override: true,
      check: { ttl: '30s', deregister_critical_service_after: '90m' },
    });
    expect(res.status, res.text).to.equal(200);
    const svc = ((await http(`${url}/v1/agent/services`)).json() as Record<string, Record<string, unknown>>)['snake-1'];
    expect(svc).to.deep.include({ ID: 'snake-1', Service: 'snake', Port: 81, EnableTagOverride: true, TaggedAddresses: { lan: { Address: '127.0.0.9', Port: 81 } } });
    const check = ((await http(`${url}/v1/agent/checks`)).json() as Record<string, { Definition: Record<string, unknown> }>)['service:snake-1'];
    expect(check.Definition).to.deep.include({ TTL: '30s', DeregisterCriticalServiceAfter: '90m' });
  });

  it('indents JSON with ?pretty and is compact otherwise', async () => {
    expect((await http(`${url}/v1/catalog/datacenters`)).text).to.equal('["dc1"]');
    expect((await http(`${url}/v1/catalog/datacenters?pretty`)).text).to.equal('[\n    "dc1"\n]');
  });

  it('accepts a token as X-Consul-Token, Authorization: Bearer or ?token= (ACLs off: ignored)', async () => {
    const forms: Array<{ headers: Record<string, string> }> = [{ headers: { 'X-Consul-Token': 'abc' } }, { headers: { Authorization: 'Bearer abc' } }];
    for (const init of forms) {
      expect((await http(`${url}/v1/catalog/nodes`, init)).status).to.equal(200);
    }
    expect((await http(`${url}/v1/catalog/nodes?token=abc`)).status).to.equal(200);
  });

  it('filters catalog and health by every repeated tag and by node-meta', async () => {
    await put('/v1/catalog/register', { Node: 'm1', Address: '10.0.0.1', NodeMeta: { rack: 'r1' }, Service: { Service: 'tagged', ID: 't1', Tags: ['a', 'b'], Port: 1 } });
    await put('/v1/catalog/register', { Node: 'm2', Address: '10.0.0.2', NodeMeta: { rack: 'r2' }, Service: { Service: 'tagged', ID: 't2', Tags: ['a'], Port: 2 } });
    const ids = async (path: string) => ((await http(`${url}${path}`)).json() as Array<{ ServiceID?: string; Service?: { ID: string } }>).map((r) => r.ServiceID ?? r.Service!.ID);
    expect(await ids('/v1/catalog/service/tagged?tag=a')).to.deep.equal(['t1', 't2']);
    expect(await ids('/v1/catalog/service/tagged?tag=a&tag=b')).to.deep.equal(['t1']);
    expect(await ids('/v1/health/service/tagged?tag=a&tag=b')).to.deep.equal(['t1']);
    expect(await ids('/v1/catalog/service/tagged?node-meta=rack:r2')).to.deep.equal(['t2']);
    expect(await ids('/v1/health/service/tagged?node-meta=rack:r2')).to.deep.equal(['t2']);
    const nodes = (await http(`${url}/v1/catalog/nodes?node-meta=rack:r1`)).json() as Array<{ Node: string }>;
    expect(nodes.map((n) => n.Node)).to.deep.equal(['conv', 'm1']);
  });

  it('KV: raw bodies in and out, binary safe; keys with a separator; flags', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await http(`${url}/v1/kv/bin/blob?flags=7`, { method: 'PUT', body: bytes });
    const raw = await fetch(`${url}/v1/kv/bin/blob?raw`);
    expect(Buffer.from(await raw.arrayBuffer()).equals(bytes)).to.equal(true);
    const [entry] = (await http(`${url}/v1/kv/bin/blob`)).json() as Array<{ Value: string; Flags: number }>;
    expect(Buffer.from(entry.Value, 'base64').equals(bytes)).to.equal(true);
    expect(entry.Flags).to.equal(7);
    await put('/v1/kv/dir/a/1', 'x');
    await put('/v1/kv/dir/a/2', 'x');
    await put('/v1/kv/dir/b', 'x');
    expect((await http(`${url}/v1/kv/dir/?keys&separator=/`)).json()).to.deep.equal(['dir/a/', 'dir/b']);
    const empty = await http(`${url}/v1/kv/empty`, { method: 'PUT' });
    expect(empty.text).to.equal('true');
    expect(((await http(`${url}/v1/kv/empty`)).json() as Array<{ Value: unknown }>)[0].Value).to.equal(null);
  });

  it('a KV read after a write sees the new value (the encoded-answer cache follows the key index)', async () => {
    const value = async () => Buffer.from(((await http(`${url}/v1/kv/cached/k`)).json() as Array<{ Value: string }>)[0].Value, 'base64').toString();
    await put('/v1/kv/cached/k', 'one');
    expect(await value()).to.equal('one');
    expect(await value()).to.equal('one');
    await put('/v1/kv/cached/k', 'two');
    expect(await value()).to.equal('two');
    await http(`${url}/v1/kv/cached/k`, { method: 'DELETE' });
    expect((await http(`${url}/v1/kv/cached/k`)).status).to.equal(404);
  });

  it('a missing key is a 404 that still carries X-Consul-Index, so it can be blocked on', async () => {
    const res = await http(`${url}/v1/kv/never/there`);
    expect(res.status).to.equal(404);
    expect(Number(res.headers.get('x-consul-index'))).to.be.greaterThan(0);
  });

  it('catalog node and node-services of an unknown node answer null as Consul does', async () => {
    expect((await http(`${url}/v1/catalog/node/nope`)).text).to.equal('null');
    expect((await http(`${url}/v1/catalog/node-services/nope`)).json()).to.deep.equal({ Node: null, Services: null });
  });
});
