import { expect } from 'chai';
import { http, startAgent, type AgentProcess } from './harness.js';

/** Issue 13's catalog and agent edges, each as Consul 1.8.7 answers it. */
describe('Consul edge cases: the key name, a release, a check of an unknown service', function () {
  this.timeout(30_000);
  let agent: AgentProcess;
  const put = (p: string, body = '') => http(`${agent.url}${p}`, { method: 'PUT', body });

  before(async () => (agent = await startAgent(['-dev', '-log-level=warn'])));
  after(async () => agent?.stop());

  it('GET /v1/kv/ without a key, ?recurse or ?keys: 400 Missing key name (the consul npm client\'s watch stops on it)', async () => {
    const res = await http(`${agent.url}/v1/kv/`);
    expect(res.status).to.equal(400);
    expect(res.text).to.equal('Missing key name');
    expect((await http(`${agent.url}/v1/kv/?recurse`)).status).to.equal(404);
  });

  it('?release= by anything but the holder is 200 false, whether or not it is a UUID or the key exists; only an empty one is an error', async () => {
    const session = (JSON.parse((await put('/v1/session/create', '{}')).text) as { ID: string }).ID;
    expect((await put(`/v1/kv/edge/lock?acquire=${session}`, 'x')).text).to.equal('true');
    for (const other of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const res = await put(`/v1/kv/edge/lock?release=${other}`, 'y');
      expect([res.status, res.text], other).to.deep.equal([200, 'false']);
    }
    const missingKey = await put('/v1/kv/edge/nothing-here?release=not-a-uuid', 'y');
    expect([missingKey.status, missingKey.text]).to.deep.equal([200, 'false']);
    const empty = await put('/v1/kv/edge/lock?release=', 'y');
    expect([empty.status, empty.text]).to.deep.equal([500, 'missing session']);
    // The lock is still held; the holder releases it.
    expect((await put(`/v1/kv/edge/lock?release=${session}`, 'z')).text).to.equal('true');
    // An acquire still looks the session up.
    expect((await put('/v1/kv/edge/lock?acquire=not-a-uuid', 'y')).status).to.equal(500);
  });

  it('agent/check/register naming a ServiceID that is not registered: 500, as Consul (a 404 would read as "nothing to report")', async () => {
    const res = await put('/v1/agent/check/register', JSON.stringify({ Name: 'c', TTL: '10s', ServiceID: 'foo1' }));
    expect([res.status, res.text]).to.deep.equal([500, 'ServiceID "foo1" does not exist']);
  });
});
