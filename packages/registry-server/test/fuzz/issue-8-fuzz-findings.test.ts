import { expect } from 'chai';
import { http, startAgent, type AgentProcess } from '../integration/harness.js';

/**
 * Bugs the HTTP fuzz found, each pinned with the answer Consul 1.8.7 gives to the same request.
 * A JSON body of `null` made several handlers throw a TypeError (500 "Internal error: Cannot
 * read properties of undefined"); Consul decodes `null` as an empty object. A LockDelay that is
 * not a duration was a 500; Consul refuses it as a bad request (400). A fractional LockDelay was
 * stored as a fraction of a nanosecond, and then the agent's own GET /v1/snapshot could not be
 * restored ("sessions[0].LockDelay is missing or of the wrong type").
 */
describe('fuzz findings: bodies Consul decodes, answered as Consul answers them', function () {
  let agent: AgentProcess;

  before(async () => {
    agent = await startAgent(['-dev', '-log-level=warn']);
  });
  after(async () => {
    await agent?.stop('SIGKILL');
  });

  const put = (path: string) => http(`${agent.url}${path}`, { method: 'PUT', body: 'null', headers: { 'Content-Type': 'application/json' } });

  it('catalog register and deregister: 500 "Must provide node"', async () => {
    for (const path of ['/v1/catalog/register', '/v1/catalog/deregister']) {
      const res = await put(path);
      expect([res.status, res.text], path).to.deep.equal([500, 'Must provide node']);
    }
  });

  it('agent service and check register: 400 for the missing name', async () => {
    const svc = await put('/v1/agent/service/register');
    expect(svc.status).to.equal(400);
    expect(svc.text).to.match(/^Missing service name/);
    const check = await put('/v1/agent/check/register');
    expect(check.status).to.equal(400);
    expect(check.text).to.match(/^Missing check name/);
  });

  it('session create: a session with the defaults', async () => {
    const res = await put('/v1/session/create');
    expect(res.status).to.equal(200);
    expect((res.json() as { ID: string }).ID).to.match(/^[0-9a-f-]{36}$/);
  });

  it('session create with a LockDelay that is not a duration: 400 "Request decode failed"', async () => {
    for (const body of ['{"LockDelay":"abc"}', '{"LockDelay":"15"}', '{"LockDelay":{}}']) {
      const res = await http(`${agent.url}/v1/session/create`, { method: 'PUT', body });
      expect(res.status, body).to.equal(400);
      expect(res.text, body).to.match(/^Request decode failed: /);
    }
  });

  it("session create with a fractional LockDelay stores whole nanoseconds: the agent's own snapshot restores", async () => {
    for (const body of ['{"LockDelay":1.5e-12}', '{"LockDelay":1234.5}', '{"LockDelay":0.5}']) {
      const res = await http(`${agent.url}/v1/session/create`, { method: 'PUT', body });
      expect(res.status, body).to.equal(200);
    }
    const snap = await fetch(`${agent.url}/v1/snapshot`);
    expect(snap.status).to.equal(200);
    const back = await http(`${agent.url}/v1/snapshot`, { method: 'PUT', body: Buffer.from(await snap.arrayBuffer()) });
    expect([back.status, back.text]).to.deep.equal([200, '']);
  });

  it('session create with a LockDelay past 2^53 ns: 400, not a state no snapshot can hold', async () => {
    const res = await http(`${agent.url}/v1/session/create`, { method: 'PUT', body: '{"LockDelay":1e300}' });
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/^Request decode failed: LockDelay/);
  });

  it("a service with a negative Port (which Consul and every write path accept): the agent's own snapshot restores", async () => {
    const reg = await http(`${agent.url}/v1/catalog/register`, { method: 'PUT', body: JSON.stringify({ Node: 'neg-port', Address: '127.0.0.1', Service: { Service: 'neg', Port: -5 } }) });
    expect(reg.status).to.equal(200);
    const snap = await fetch(`${agent.url}/v1/snapshot`);
    expect(snap.status).to.equal(200);
    const back = await http(`${agent.url}/v1/snapshot`, { method: 'PUT', body: Buffer.from(await snap.arrayBuffer()) });
    expect([back.status, back.text]).to.deep.equal([200, '']);
    const svc = await http(`${agent.url}/v1/catalog/service/neg`);
    expect(JSON.parse(svc.text)[0].ServicePort).to.equal(-5);
  });

  it('a check whose TTL is past what Go holds (about 292 years), as nanoseconds or a string: 400, not a 500 or a timer that fires at once', async () => {
    const res = await http(`${agent.url}/v1/agent/check/register`, { method: 'PUT', body: '{"Name":"db","TTL":-5.265509199181962e+267}' });
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/^Request decode failed: .*TTL.*out of range/);
    const long = await http(`${agent.url}/v1/agent/check/register`, { method: 'PUT', body: '{"Name":"db","TTL":"99999999999999999999999h"}' });
    expect([long.status, long.text]).to.deep.equal([400, 'Request decode failed: field "TTL": invalid duration "99999999999999999999999h"']);
    const ok = await http(`${agent.url}/v1/agent/check/register`, { method: 'PUT', body: '{"Name":"db","TTL":30000000000}' });
    expect(ok.status).to.equal(200);
  });
});
