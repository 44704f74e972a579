import { expect } from 'chai';
import Consul from 'consul';
import { http, startAgent, within, type AgentProcess } from './harness.js';

interface AgentCheck {
  Status: string;
  Output: string;
  Type: string;
}

/**
 * Issue 13 §3: alias checks (AliasService, AliasNode) registered with the agent mirror the
 * health of another service or node. Statuses and outputs are Consul 1.8.7's for the same steps.
 * A client agent's alias of another node is tested in client-agents.test.ts.
 */
describe('alias checks', function () {
  this.timeout(30_000);
  let agent: AgentProcess;
  let consul: Consul;
  const put = (p: string, body?: unknown) => http(`${agent.url}${p}`, { method: 'PUT', body: body === undefined ? undefined : JSON.stringify(body) });
  const check = async (id: string) => ((await (await http(`${agent.url}/v1/agent/checks`)).json()) as Record<string, AgentCheck>)[id];
  const until = (id: string, status: string, output: string) =>
    within(5_000, async () => {
      const c = await check(id);
      return c?.Status === status && c.Output === output;
    }).catch(async (err: Error) => {
      throw new Error(`${id}: expected ${status} "${output}", got ${JSON.stringify(await check(id))} (${err.message})`);
    });

  before(async () => {
    agent = await startAgent(['-dev', '-node=n1', '-log-level=warn']);
    consul = new Consul({ host: agent.host, port: agent.port });
  });
  after(async () => {
    consul?.destroy();
    await agent?.stop();
  });

  it('AliasService (the consul npm client’s aliasservice): critical while the service is missing, then its checks decide', async () => {
    await consul.agent.check.register({ name: 'api alias', id: 'api-alias', serviceid: '', aliasservice: 'api' } as never);
    expect((await check('api-alias'))!.Type).to.equal('alias');
    await until('api-alias', 'critical', 'Service api could not be found');
    await consul.agent.service.register({ name: 'api', port: 9000 } as never);
    await until('api-alias', 'passing', 'No checks found.');
    expect((await put('/v1/agent/check/register', { Name: 'api ttl', CheckID: 'api-ttl', ServiceID: 'api', TTL: '60s', Status: 'passing' })).status).to.equal(200);
    await until('api-alias', 'passing', 'All checks passing.');
    await put('/v1/agent/check/fail/api-ttl?note=boom');
    await until('api-alias', 'critical', 'Aliased check "api ttl" failing: boom');
    await put('/v1/agent/check/pass/api-ttl');
    await until('api-alias', 'passing', 'All checks passing.');
    // The node's own checks count too: node maintenance makes every alias on the node critical.
    await put('/v1/agent/maintenance?enable=true&reason=patching');
    await until('api-alias', 'critical', 'Aliased check "Node Maintenance Mode" failing: ');
    await put('/v1/agent/maintenance?enable=false');
    await until('api-alias', 'passing', 'All checks passing.');
  });

  it('AliasNode follows another node’s checks in the catalog, and a node that does not exist is critical (Consul 1.8.7 crashes there)', async () => {
    const register = (status: string) =>
      put('/v1/catalog/register', { Node: 'ext', Address: '10.0.0.9', Service: { ID: 'db', Service: 'db', Port: 5432 }, Check: { CheckID: 'db-up', Name: 'db up', ServiceID: 'db', Status: status, Output: status } });
    expect((await register('critical')).status).to.equal(200);
    expect((await put('/v1/agent/check/register', { Name: 'ext db', CheckID: 'ext-db', AliasNode: 'ext', AliasService: 'db' })).status).to.equal(200);
    await until('ext-db', 'critical', 'Aliased check "db up" failing: critical');
    await register('passing');
    await until('ext-db', 'passing', 'All checks passing.');
    expect((await put('/v1/agent/check/register', { Name: 'ghost', CheckID: 'ghost', AliasNode: 'nowhere' })).status).to.equal(200);
    await until('ghost', 'critical', 'No checks found on node nowhere');
    expect((await put('/v1/agent/check/register', { Name: 'ghost db', CheckID: 'ghost-db', AliasNode: 'nowhere', AliasService: 'db' })).status).to.equal(200);
    await until('ghost-db', 'critical', 'Service db could not be found on node nowhere');
    // The agent keeps answering.
    expect((await http(`${agent.url}/v1/agent/self`)).status).to.equal(200);
    // The critical ghost aliases are node checks of n1, but aliases do not count aliases: api's stays passing.
    expect(await check('api-alias')).to.include({ Status: 'passing', Output: 'All checks passing.' });
    for (const id of ['ghost', 'ghost-db']) expect((await put(`/v1/agent/check/deregister/${id}`)).status).to.equal(200);
  });

  it('refuses a TTL on an alias check, as Consul does; an Interval is accepted and means nothing', async () => {
    const ttl = await put('/v1/agent/check/register', { Name: 'bad', AliasService: 'api', TTL: '10s' });
    expect([ttl.status, ttl.text]).to.deep.equal([400, 'Invalid check: TTL must be not be set for Alias checks']);
    expect((await put('/v1/agent/check/register', { Name: 'with interval', CheckID: 'iv', AliasService: 'api', Interval: '10s' })).status).to.equal(200);
    await until('iv', 'passing', 'All checks passing.');
    expect((await check('iv'))!.Output).to.equal('All checks passing.');
  });
});
